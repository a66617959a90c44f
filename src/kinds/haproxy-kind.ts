import { join } from 'node:path'
import { renderHaproxyConfig } from './render-haproxy-config.js'
import type { ServerKind } from './server-kind.js'

/** haproxy as the reverse proxy, in the foreground (-db), from a config in its own folder. */
export const haproxyKind = {
  name: 'haproxy',
  tier: { name: 'haproxy', cpus: 'proxy' },
  binary: { command: 'haproxy', debianPackage: 'haproxy', versionArgs: ['-v'] },
  entry: null,
  usesTempDir: true,
  features: ['tls'],
  http2: { tls: true, clear: 'same-port' },
  websocket: true,
  placeholders: [],
  readiness: 'http',
  speaks: 'http',
  accepts: ['http'],
  unixSockets: true,
  stampsToken: true,
  launch: (input) => ({
    name: 'haproxy',
    label: `haproxy of stack "${input.stackName}"`,
    command: 'haproxy',
    args: ['-f', join(input.dir, 'haproxy.conf'), '-db'],
    cwd: input.dir,
    env: {},
    files: { 'haproxy.conf': renderHaproxyConfig(input) },
  }),
  groupSize: () => undefined,
  stopGraceMs: 3000,
} as const satisfies ServerKind
