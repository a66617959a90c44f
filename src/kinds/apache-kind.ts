import { join } from 'node:path'
import { renderApacheConfig } from './render-apache-config.js'
import type { ServerKind } from './server-kind.js'

/** Apache httpd (Debian's apache2) as the reverse proxy, in the foreground from a config in its own folder. */
export const apacheKind = {
  name: 'apache',
  tier: { name: 'apache', cpus: 'proxy' },
  binary: { command: 'apache2', debianPackage: 'apache2', versionArgs: ['-v'] },
  entry: null,
  usesTempDir: true,
  features: ['static', 'tls'],
  http2: { tls: true, clear: 'same-port' },
  websocket: false,
  placeholders: [],
  readiness: 'http',
  speaks: 'http',
  accepts: ['http'],
  unixSockets: true,
  stampsToken: true,
  launch: (input) => ({
    name: 'apache',
    label: `apache of stack "${input.stackName}"`,
    command: 'apache2',
    args: ['-DFOREGROUND', '-f', join(input.dir, 'apache2.conf')],
    cwd: input.dir,
    env: {},
    files: { 'apache2.conf': renderApacheConfig(input) },
  }),
  groupSize: () => undefined,
  stopGraceMs: 3000,
} as const satisfies ServerKind
