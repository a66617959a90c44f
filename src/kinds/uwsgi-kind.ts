import { hostPort } from './host-port.js'
import type { ServerKind } from './server-kind.js'

/**
 * uWSGI (Debian's uwsgi with uwsgi-plugin-python3) running a WSGI app over the uwsgi protocol: a master and
 * `workers` processes, in the foreground, exiting on SIGTERM (--die-on-term; uWSGI 2.0 would reload instead).
 */
export const uwsgiKind = {
  name: 'uwsgi',
  tier: { name: 'app', cpus: 'app' },
  binary: { command: 'uwsgi', debianPackage: 'uwsgi uwsgi-plugin-python3', versionArgs: ['--version'] },
  entry: { key: 'module', what: 'the WSGI app it runs, as module:callable', example: 'app:app' },
  usesTempDir: false,
  features: [],
  http2: { tls: false, clear: 'none' },
  websocket: false,
  placeholders: [],
  readiness: 'uwsgi',
  speaks: 'uwsgi',
  accepts: [],
  unixSockets: true,
  stampsToken: false,
  launch(input) {
    const name =
      input.instances > 1 ? `uwsgi "${input.app.name}" #${input.index + 1}` : `uwsgi "${input.app.name}"`
    return {
      name,
      label: name,
      command: 'uwsgi',
      args: [
        '--plugin',
        'python3',
        '--master',
        '--processes',
        String(input.workers ?? 1),
        '--uwsgi-socket',
        input.socket ?? hostPort(input.host, input.listenPort),
        ...(input.socket ? ['--chmod-socket=666'] : []), // nginx workers (nobody) must connect to it
        '--chdir',
        input.app.cwd,
        '--module',
        input.app.module ?? '',
        '--need-app',
        '--die-on-term',
        '--disable-logging',
      ],
      cwd: input.app.cwd,
      env: input.app.env,
      files: {},
    }
  },
  groupSize: (input) => (input.workers ?? 1) + 1,
  stopGraceMs: 3000,
} as const satisfies ServerKind
