import { fileURLToPath } from 'node:url'
import { renderInitProfile } from '../profile/render-init-profile.js'
import type { ProxyKind } from '../profile/schema.js'

/** bench init: a commented profile for the user's own app, on stdout (`bench init --app … > my.yml`). */
export function initCommand(args: { app: string; proxy?: ProxyKind; workers?: number; name?: string }): void {
  const schemaPath = fileURLToPath(new URL('../../../bench-profile.schema.json', import.meta.url))
  const commandLine = [
    'bench init',
    `--app ${JSON.stringify(args.app)}`,
    ...(args.proxy ? [`--proxy ${args.proxy}`] : []),
    ...(args.workers === undefined ? [] : [`--workers ${args.workers}`]),
    ...(args.name ? [`--name ${args.name}`] : []),
  ].join(' ')
  process.stdout.write(renderInitProfile({ ...args, schemaPath, commandLine }))
}
