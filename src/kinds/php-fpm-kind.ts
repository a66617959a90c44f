import { join } from 'node:path'
import { renderPhpFpmConfig } from './render-php-fpm-config.js'
import type { ServerKind } from './server-kind.js'

/**
 * php-fpm (Debian's php-fpm, whose binary is versioned: php8.2-fpm on Debian 12): a FastCGI pool running the
 * app's script, `workers` static children, in the foreground (-F) with its log forced to stderr (-O).
 */
export const phpFpmKind = {
  name: 'php-fpm',
  tier: { name: 'app', cpus: 'app' },
  binary: { command: 'php-fpm8.2', debianPackage: 'php-fpm', versionArgs: ['-v'] },
  entry: { key: 'script', what: 'the script that every request runs', example: 'index.php' },
  usesTempDir: true,
  features: [],
  http2: { tls: false, clear: 'none' },
  websocket: false,
  placeholders: [],
  readiness: 'fastcgi',
  speaks: 'fastcgi',
  accepts: [],
  unixSockets: true,
  stampsToken: false,
  launch(input) {
    const name =
      input.instances > 1 ? `php-fpm "${input.app.name}" #${input.index + 1}` : `php-fpm "${input.app.name}"`
    const suffix = input.instances > 1 ? `-${input.index + 1}` : ''
    const config = `php-fpm${suffix}.conf`
    return {
      name,
      label: name,
      command: 'php-fpm8.2',
      // -R: allowed to start as root (its children then run as nobody)
      args: ['-F', '-O', '-R', '-y', join(input.dir, config)],
      cwd: input.app.cwd,
      env: input.app.env,
      files: { [config]: renderPhpFpmConfig({ ...input, workers: input.workers ?? 1, suffix }) },
    }
  },
  groupSize: (input) => (input.workers ?? 1) + 1,
  stopGraceMs: 3000,
} as const satisfies ServerKind
