import { fillPlaceholders } from './fill-placeholders.js'
import type { LaunchInput, ServerKind } from './server-kind.js'

/** The placeholders of an app's args and env, substituted at launch — defined here only. */
const placeholders = ['port', 'host', 'workers', 'socket', 'pool'] as const

function values(input: LaunchInput): Record<(typeof placeholders)[number], string> {
  return {
    port: String(input.listenPort),
    host: input.host,
    workers: String(input.workers ?? 1),
    socket: input.socket ?? '',
    pool: String(input.pool),
  }
}

/** The user's app: any command, told its port (and host, workers) through placeholders. */
export const appKind = {
  name: 'app',
  tier: { name: 'app', cpus: 'app' },
  binary: 'app-command',
  entry: null,
  usesTempDir: false,
  features: [],
  http2: { tls: false, clear: 'none' },
  websocket: true,
  placeholders,
  readiness: 'http',
  speaks: 'http',
  accepts: [],
  unixSockets: true,
  stampsToken: false,
  launch(input) {
    const { app } = input
    const filled = values(input)
    const name = input.instances > 1 ? `app "${app.name}" #${input.index + 1}` : `app "${app.name}"`
    return {
      name,
      label: name,
      command: app.command ?? '', // the profile's rules require it for this kind
      args: [
        ...app.args,
        ...(input.workers === undefined ? [] : app.workerArgs),
        ...(input.socket === undefined ? [] : app.socketArgs),
      ].map((a) => fillPlaceholders(a, filled)),
      cwd: app.cwd,
      env: Object.fromEntries(Object.entries(app.env).map(([k, v]) => [k, fillPlaceholders(v, filled)])),
      files: {},
    }
  },
  // the first worker answers before the others have forked: master + N workers
  groupSize: (input) => (input.workers === undefined ? undefined : input.workers + 1),
  stopGraceMs: 3000,
} as const satisfies ServerKind
