import { collectEnvironment } from '../results/collect-environment.js'
import { packageVersions } from './package-versions.js'

/**
 * bench --version: bench's version, its load engines, and the version of each server found on PATH (sbin
 * included), read the way every results file records them.
 */
export function versionCommand(): void {
  const { bench, autocannon } = packageVersions()
  const { node, versions } = collectEnvironment({})
  const servers = Object.keys(versions)
  const width = Math.max(...servers.map((s) => s.length))
  process.stdout.write(
    [
      `bench ${bench}`,
      "engine: bench, bench's own raw-socket HTTP/1.1 engine (the default)",
      `        autocannon ${autocannon}, selectable per phase with engine: autocannon`,
      `node ${node}`,
      'servers on PATH:',
      ...servers.map((server) => `  ${server.padEnd(width)}  ${versions[server] ?? 'not found'}`),
      '',
    ].join('\n'),
  )
}
