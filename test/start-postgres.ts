import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { CREATE_TABLES, FORTUNES, worldRows } from '../src/database/techempower-data.js'
import { freePort } from '../src/stacks/free-port.js'

const run = promisify(execFile)

/** A throwaway PostgreSQL cluster for a test: seeded `bench` database, trust auth, user `bench`. */
export interface TestPostgres {
  /** postgresql://bench@127.0.0.1:PORT/bench */
  url: string
  /** The same database over its Unix socket: postgresql://bench@/bench?host=DIR&port=PORT */
  socketUrl: string
  /** Runs one statement on a connection of its own. */
  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>
  /** Stops the server (immediate) and removes its folder. */
  stop(): Promise<void>
}

/** Debian's newest versioned PostgreSQL bin folder. */
function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) throw new Error('PostgreSQL is not installed: apt-get install postgresql')
  return join(root, newest, 'bin')
}

/**
 * initdb into a temp folder and pg_ctl start on a free port (as the `postgres` user when the test runs as root:
 * postgres refuses to run as root), then creates and seeds `bench` from techempower-data.ts. pg_ctl -w returns
 * once the server accepts connections. Tests-only; bench's own postgres tier lives in src/stacks/.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  const prefix: string[] = []
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout)
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout)
    chownSync(dir, uid, gid)
    prefix.push('runuser', '-u', 'postgres', '--')
  }
  const as = (command: string, args: string[]) => {
    const [program, ...rest] = [...prefix, join(bin, command), ...args]
    return run(program as string, rest)
  }
  const port = await freePort('127.0.0.1')
  let started = false
  const stop = async () => {
    if (started) await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    started = false
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await as('initdb', ['-D', data, '-U', 'bench', '--auth=trust', '--no-sync', '--no-locale', '-E', 'UTF8'])
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`
    await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', options, 'start'])
    started = true
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'bench', database: 'postgres' })
    await admin.connect()
    await admin.query('CREATE DATABASE bench')
    await admin.end()
    const url = `postgresql://bench@127.0.0.1:${port}/bench`
    const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        return (await client.query<T>(text, values)).rows
      } finally {
        await client.end()
      }
    }
    const rows = worldRows()
    for (const sql of CREATE_TABLES) await query(sql)
    await query('INSERT INTO world SELECT * FROM unnest($1::int[], $2::int[])', [
      rows.map((r) => r.id),
      rows.map((r) => r.randomNumber),
    ])
    await query('INSERT INTO fortune SELECT * FROM unnest($1::int[], $2::text[])', [
      FORTUNES.map((f) => f.id),
      FORTUNES.map((f) => f.message),
    ])
    return { url, socketUrl: `postgresql://bench@/bench?host=${dir}&port=${port}`, query, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
