import { join } from 'node:path'
import { renderNginxConfig } from './render-nginx-config.js'
import type { ServerKind } from './server-kind.js'

/** nginx as the reverse proxy: master in the foreground, config and temp files in its own folder. */
export const nginxKind = {
  name: 'nginx',
  tier: { name: 'nginx', cpus: 'proxy' },
  binary: { command: 'nginx', debianPackage: 'nginx', versionArgs: ['-v'] },
  entry: null,
  usesTempDir: true,
  features: ['static', 'cache', 'tls'],
  http2: { tls: true, clear: 'own-port' },
  websocket: true,
  placeholders: [],
  readiness: 'http',
  speaks: 'http',
  accepts: ['http', 'fastcgi', 'uwsgi'],
  unixSockets: true,
  stampsToken: true,
  launch: (input) => ({
    name: 'nginx',
    label: `nginx of stack "${input.stackName}"`,
    command: 'nginx',
    args: ['-e', 'stderr', '-p', input.dir, '-c', join(input.dir, 'nginx.conf')],
    cwd: input.dir,
    env: {},
    files: { 'nginx.conf': renderNginxConfig(input) },
  }),
  groupSize: () => undefined,
  stopGraceMs: 3000,
} as const satisfies ServerKind
