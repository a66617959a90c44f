import { chown, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BenchError } from '../bench-error.js'
import { CREATE_TABLES, FORTUNES, worldRows } from '../database/techempower-data.js'
import type { DatabaseKind, DatabaseLaunch } from '../kinds/database-kind.js'
import { databaseKinds } from '../kinds/database-kinds.js'
import { connectPg } from './connect-pg.js'
import { findVersionedBinary } from './find-versioned-binary.js'
import { freePort } from './free-port.js'
import { missingDatabase } from './missing-database.js'
import { seedSqlite } from './seed-sqlite.js'
import { type ManagedProcess, spawnProcess } from './spawn-process.js'
import type { Tier } from './tier.js'
import { unprivilegedUser } from './unprivileged-user.js'

export interface DatabaseStartInput {
  kind: keyof typeof databaseKinds
  stackName: string
  host: string
  maxConnections: number
  /** Its CPUs (cpus.database), or every CPU when only bench is pinned. */
  cpus: readonly number[] | undefined
  /** For the server to answer a real query (the app's ready.timeout). */
  timeoutMs: number
  signal?: AbortSignal | undefined
  onSpawn?: ((process: ManagedProcess) => void) | undefined
  /** Takes each process and folder as soon as it exists: the stack's stop removes them on every path. */
  own(process: ManagedProcess, graceMs: number): void
  ownDir(dir: string): void
}

/** A database bench runs for a stack, seeded and answering. */
export interface RunningDatabase {
  kind: string
  /** DATABASE_URL, as the app is given it. */
  url: string
  /** Its temp folder (removed by the stack's stop); none for the user's own (url). */
  dir?: string
  /** Its server process, when it has one. */
  process?: ManagedProcess
  /** Its tier for resource sampling, when it runs in processes of its own. */
  tier?: Tier
  /** Where its statement and transaction counters are read (monitor/read-database-counters.ts), when it counts. */
  statistics?: { url: string; database: string }
}

interface Client {
  /** Polls until the database answers a real query; fails fast when its server exits. */
  ready(launch: DatabaseLaunch, input: DatabaseStartInput, server: ManagedProcess | undefined): Promise<void>
  /** Creates the app's database and TechEmpower's tables and rows. */
  seed(launch: DatabaseLaunch): Promise<void>
}

const interrupted = () => new BenchError('stack', 'interrupted while starting', 'nothing to fix')

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** How bench talks to each kind of database (DatabaseKind.client). */
const clients: Record<DatabaseKind['client'], Client> = {
  sqlite: {
    ready: async () => {},
    seed: async (launch) => {
      seedSqlite(launch.admin)
    },
  },
  postgres: {
    async ready(launch, input, server) {
      const deadline = Date.now() + input.timeoutMs
      let last = 'no answer'
      for (;;) {
        if (input.signal?.aborted) throw interrupted()
        if (server && !server.isAlive()) {
          const exit = await server.exited
          throw new BenchError(
            'stack',
            `${server.name} of stack "${input.stackName}" exited at start (${exit.signal ?? `code ${exit.code}`})`,
            'see its last output below',
            server.logTail(),
          )
        }
        try {
          const session = await connectPg(launch.admin, Math.max(100, Math.min(2000, deadline - Date.now())))
          try {
            await session.query('SELECT 1')
            return
          } finally {
            await session.end()
          }
        } catch (error) {
          last = (error as Error).message
        }
        if (Date.now() >= deadline) {
          throw new BenchError(
            'stack',
            `${server?.name ?? 'the database'} of stack "${input.stackName}" did not answer SELECT 1 within ${input.timeoutMs / 1000}s (last: ${last})`,
            "see its last output below; on a slow machine raise the app's ready.timeout",
            server?.logTail() ?? [],
          )
        }
        await pause(20)
      }
    },
    async seed(launch) {
      const admin = await connectPg(launch.admin)
      try {
        await admin.query(`CREATE DATABASE ${launch.database}`)
        // the statement counter; in the admin database, so bench's own reads of it are not counted
        await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      } finally {
        await admin.end()
      }
      const app = await connectPg(launch.url)
      try {
        for (const sql of CREATE_TABLES) await app.query(sql)
        const rows = worldRows()
        await app.query('INSERT INTO world (id, randomnumber) SELECT * FROM unnest($1::int[], $2::int[])', [
          rows.map((r) => r.id),
          rows.map((r) => r.randomNumber),
        ])
        await app.query('INSERT INTO fortune (id, message) SELECT * FROM unnest($1::int[], $2::text[])', [
          FORTUNES.map((f) => f.id),
          FORTUNES.map((f) => f.message),
        ])
        await app.query('VACUUM ANALYZE') // so autovacuum has nothing to do during the load
      } finally {
        await app.end()
      }
    },
  },
}

/** Waits for a preparing command (initdb) to exit 0; fails with its output otherwise. */
async function runToEnd(
  process: ManagedProcess,
  input: DatabaseStartInput,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    process.exited,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs)
    }),
    new Promise<'aborted'>((resolve) => {
      if (input.signal?.aborted) resolve('aborted')
      input.signal?.addEventListener('abort', () => resolve('aborted'), { once: true })
    }),
  ])
  clearTimeout(timer)
  if (outcome === 'aborted') throw interrupted()
  if (outcome === 'timeout' || outcome.code !== 0) {
    throw new BenchError(
      'stack',
      `${process.name} for stack "${input.stackName}" ${outcome === 'timeout' ? `did not finish within ${timeoutMs / 1000}s` : `failed (${outcome.signal ?? `code ${outcome.code}`})`}`,
      'see its last output below',
      process.logTail(),
    )
  }
}

/**
 * Starts the stack's database: a temp folder (owned by the unprivileged user when bench is root and the kind
 * refuses root), its preparing commands (initdb), its server on a free port, readiness by a real query, then
 * TechEmpower's tables and rows. Knows no kind by name: the kind's module plans it, its client speaks to it.
 */
export async function startDatabase(input: DatabaseStartInput): Promise<RunningDatabase> {
  const kind: DatabaseKind = databaseKinds[input.kind]
  const bin = kind.binary ? findVersionedBinary(kind.binary) : ''
  if (bin === undefined) throw missingDatabase(kind, input.stackName)
  const dir = await mkdtemp(join(tmpdir(), `bench-${kind.name}-`))
  input.ownDir(dir)
  const user = kind.dropsRoot ? unprivilegedUser() : undefined
  if (user) await chown(dir, user.uid, user.gid)
  const port = kind.listens ? await freePort(input.host) : 0
  const launch = kind.launch({ dir, bin, host: input.host, port, maxConnections: input.maxConnections })
  /** Spawns one of its commands; the server is handed to the stack (`own`), a preparing command is not. */
  const spawn = async (
    command: DatabaseLaunch['prepare'][number],
    graceMs: number,
    cpus?: readonly number[],
  ) => {
    const process = await spawnProcess({
      name: command.name,
      command: command.command,
      args: command.args,
      cwd: dir,
      env: {},
      ...(cpus ? { cpus } : {}),
      stopSignal: kind.stopSignal,
      ...(user ? { user: { uid: user.uid, gid: user.gid } } : {}),
    })
    if (graceMs > 0) input.own(process, graceMs)
    input.onSpawn?.(process)
    return process
  }
  for (const command of launch.prepare) {
    if (input.signal?.aborted) throw interrupted()
    const process = await spawn(command, 0)
    try {
      await runToEnd(process, input, Math.max(60_000, input.timeoutMs))
    } finally {
      if (process.isAlive()) await process.stop(3000) // interrupted, or taking too long
    }
  }
  const server = launch.server ? await spawn(launch.server, kind.stopGraceMs, input.cpus) : undefined
  const client = clients[kind.client]
  await client.ready(launch, input, server)
  if (input.signal?.aborted) throw interrupted()
  try {
    await client.seed(launch)
  } catch (error) {
    throw new BenchError(
      'stack',
      `bench could not seed the ${kind.name} database of stack "${input.stackName}": ${(error as Error).message}`,
      'see its last output below',
      server?.logTail() ?? [],
    )
  }
  return {
    kind: kind.name,
    url: launch.url,
    dir,
    ...(server ? { process: server } : {}),
    ...(server && kind.tier ? { tier: { tier: kind.tier, pgids: [server.pid] } } : {}),
    ...(kind.counts ? { statistics: { url: launch.admin, database: launch.database } } : {}),
  }
}
