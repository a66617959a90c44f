import type { Binary } from './server-kind.js'

/** A program of a database kind, found in the highest version folder under `root` (Debian's layout). */
export interface VersionedBinary extends Binary {
  /** e.g. /usr/lib/postgresql, holding 15/bin/postgres … */
  root: string
  /** The folder under each version folder that holds the programs. */
  binDir: string
  /** The environment variable that replaces `root` (the tests point it at an empty or a fake folder). */
  rootEnv: string
  /** Every program the kind runs (all in the same bin folder). */
  commands: readonly string[]
}

/** What a database kind is given to plan its launch. */
export interface DatabaseLaunchInput {
  /** Its temp folder (owned by the user it runs as): data, socket, the SQLite file. */
  dir: string
  /** The folder of its programs (VersionedBinary), or '' for an embedded kind. */
  bin: string
  host: string
  /** A free port, for a kind that listens. */
  port: number
  /** Connections it must accept at once: the app's pools, and bench's own (seeding, statistics). */
  maxConnections: number
}

/** One command to run: to completion (prepare) or as the server. */
export interface DatabaseCommand {
  name: string
  command: string
  args: string[]
}

export interface DatabaseLaunch {
  /** Run one after the other to completion before the server starts (initdb). */
  prepare: DatabaseCommand[]
  /** The server process; null for a database that lives inside the app's process (SQLite). */
  server: DatabaseCommand | null
  /** DATABASE_URL, as the app is given it. */
  url: string
  /** Where bench connects to probe, create and seed it: a database of the server's own, or the SQLite file. */
  admin: string
  /** The database the app uses (its statistics are read from the admin connection). */
  database: string
}

/**
 * A database kind: everything bench knows about one database, as data and pure functions (the I/O lives in
 * start-database.ts, which speaks to it through the client its `client` names). Register a new kind in
 * database-kinds.ts.
 */
export interface DatabaseKind {
  name: string
  /** Its tier in the resources table (the stack's cpus.database pins it); null when it runs in the app's process. */
  tier: string | null
  /** How bench talks to it to probe, seed and read its statistics. */
  client: 'sqlite' | 'postgres'
  binary: VersionedBinary | null
  /** It listens on a port of its own. */
  listens: boolean
  /** Run as an unprivileged user (postgres, else nobody) when bench runs as root: PostgreSQL refuses root. */
  dropsRoot: boolean
  /** It counts the statements and transactions it ran, read before and after each step. */
  counts: boolean
  launch(input: DatabaseLaunchInput): DatabaseLaunch
  /** The signal that stops its server, to its group (SIGKILL after stopGraceMs). */
  stopSignal: NodeJS.Signals
  stopGraceMs: number
}
