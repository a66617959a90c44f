import type { ProxyConfigInput } from './host-port.js'

/** Options a stack can ask of the server at its entry point (each kind lists those it implements). */
export type ProxyFeature = 'static' | 'cache' | 'tls'

/** What a tier speaks to the one above it: HTTP, FastCGI (php-fpm) or uwsgi (uWSGI). */
export type Protocol = 'http' | 'fastcgi' | 'uwsgi'

/** The program a kind runs, the Debian package that installs it, and how it prints its version. */
export interface Binary {
  command: string
  debianPackage: string
  /** Arguments that make it print its version (first line of stdout + stderr). */
  versionArgs: readonly string[]
}

/** What a kind is given to launch one of its processes. */
export interface LaunchInput extends ProxyConfigInput {
  stackName: string
  /** Which of the tier's processes this is (0-based), and how many there are. */
  index: number
  instances: number
  /** The stack's `workers`, if it sets them. */
  workers: number | undefined
  /** The size of each app process's database pool (the stack's pool, or its default): {pool}, DATABASE_POOL. */
  pool: number
  /** The Unix socket this process listens on instead of its port (upstream: unix). */
  socket?: string
  /** The stack's app, its cwd and script absolute (the fields of the profile's app, not its type: that one is derived from this registry). */
  app: LaunchApp
}

export interface LaunchApp {
  name: string
  /** The program (kind app). */
  command?: string | undefined
  /** The script every request runs (kind php-fpm). */
  script?: string | undefined
  /** The WSGI module:callable (kind uwsgi). */
  module?: string | undefined
  args: readonly string[]
  workerArgs: readonly string[]
  socketArgs: readonly string[]
  cwd: string
  env: Readonly<Record<string, string>>
}

/** One process to start: the generic launcher writes `files` into the kind's temp folder, then spawns. */
export interface LaunchPlan {
  /** Its name in the stack and in messages, e.g. `app "node" #2` or `nginx`. */
  name: string
  /** Who answers at the entry point, for readiness messages. */
  label: string
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
  /** File name (in the temp folder) → contents. */
  files: Record<string, string>
}

/**
 * A server kind: everything bench knows about one kind of server, as data and pure functions (the I/O lives
 * in start-stack.ts). Register a new kind in server-kinds.ts.
 */
export interface ServerKind {
  name: string
  /** Its tier: the name it has in the resources table, and the stack's `cpus` key that pins it. */
  tier: { name: string; cpus: 'proxy' | 'app' }
  /** The program it needs, or the app's own command (checked as the app's). */
  binary: Binary | 'app-command'
  /** An app tier that runs the user's code itself: the app key naming that code, and an example. */
  entry: { key: 'script' | 'module'; what: string; example: string } | null
  /** A temp folder is made for its config, pid file and certificate, and removed at stop. */
  usesTempDir: boolean
  features: readonly ProxyFeature[]
  /**
   * HTTP/2 to the load, as the entry point: over TLS with ALPN (with the tls feature), and in clear text with
   * prior knowledge (h2c): on its port (with TLS there, on a second port of its own), only on a port of its own,
   * or not at all.
   */
  http2: { tls: boolean; clear: 'none' | 'same-port' | 'own-port' }
  /** As the entry point, it carries a WebSocket upgrade to the client (a proxy: passes it to the app). */
  websocket: boolean
  /** Placeholders it substitutes in the user's args and env ({port} …). */
  placeholders: readonly string[]
  /**
   * How bench knows a process is ready: a GET of the app's ready path answering its ready status, over HTTP or
   * over FastCGI itself.
   */
  readiness: Protocol
  /** The protocol it serves; and (a proxy) those it can pass requests on in. */
  speaks: Protocol
  accepts: readonly Protocol[]
  /** It adds X-Bench-Stack: <token> to every response, so bench can tell its answers from another server's. */
  stampsToken: boolean
  launch(input: LaunchInput): LaunchPlan
  /** It can listen on a Unix socket (upstream: unix) rather than a port; and, for a proxy, pass requests to one. */
  unixSockets: boolean
  /** The processes its group holds once fully started (a master and its workers), when known. */
  groupSize(input: LaunchInput): number | undefined
  /** SIGTERM to the group, SIGKILL after this long. */
  stopGraceMs: number
}
