import { BenchError } from '../bench-error.js'
import { connectPg, type PgSession } from '../stacks/connect-pg.js'
import { historyRunSchema } from './history-schema.js'
import type { HistoryStore } from './history-store.js'

/** What marks the tables as bench's: a row of bench_history_meta. Bump the layout when an older bench would misread. */
const application = 'bench history'
const layoutVersion = 1
const tables = ['bench_history_meta', 'bench_history_runs', 'bench_history_values'] as const

const layout = [
  'CREATE TABLE bench_history_meta (application TEXT NOT NULL, layout INTEGER NOT NULL)',
  `CREATE TABLE bench_history_runs (
     id BIGSERIAL PRIMARY KEY,
     commit_sha TEXT,
     branch TEXT,
     started_at TEXT NOT NULL,
     machine TEXT NOT NULL,
     profile TEXT NOT NULL,
     profile_sha256 TEXT NOT NULL,
     added_at TEXT NOT NULL,
     UNIQUE (profile_sha256, started_at)
   )`,
  `CREATE TABLE bench_history_values (
     run_id BIGINT NOT NULL REFERENCES bench_history_runs (id),
     position INTEGER NOT NULL,
     stack TEXT NOT NULL,
     phase TEXT NOT NULL,
     step INTEGER NOT NULL,
     label TEXT NOT NULL,
     trial INTEGER NOT NULL,
     metric TEXT NOT NULL,
     value DOUBLE PRECISION NOT NULL
   )`,
  'CREATE INDEX bench_history_values_by_run ON bench_history_values (run_id)',
]

/** The connection string with its password hidden, for messages. */
const redact = (url: string) => url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')

/** Our tables present in the connection's schema (its search_path), and what bench_history_meta says. */
async function inspect(
  db: PgSession,
  where: string,
  fresh: 'may be' | 'must not be',
): Promise<'ours' | 'none'> {
  const present = (
    await db.query('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()')
  )
    .map((row) => String(row.table_name))
    .filter((name) => (tables as readonly string[]).includes(name))
  if (present.length === 0) {
    if (fresh === 'may be') return 'none'
    throw new BenchError(
      'input',
      `there is no history in ${where}`,
      `record a run first: bench history add <results.json> --db '${where}'`,
    )
  }
  const meta = present.includes('bench_history_meta')
    ? await db.query('SELECT application, layout FROM bench_history_meta')
    : []
  const [row] = meta
  if (present.length !== tables.length || meta.length !== 1 || row?.application !== application) {
    throw new BenchError(
      'input',
      `${where} holds tables named like a bench history (${present.join(', ')}) that are not one; bench left them as they were`,
      'point --db at another database or schema, or drop those tables if they are a broken history of yours',
    )
  }
  if (Number(row.layout) > layoutVersion) {
    throw new BenchError(
      'input',
      `the history in ${where} has layout ${row.layout}, written by a newer bench; this bench reads layout ${layoutVersion}`,
      'use the newer bench, or keep this history in another database',
    )
  }
  return 'ours'
}

/**
 * A history in PostgreSQL, for a team's shared store: three tables of its own (bench_history_*) in the
 * connection's schema, made on the first `add` under an advisory lock so two jobs adding at once make them once.
 * Tables of those names that bench did not make are refused and left alone; so is a newer layout.
 */
export async function openPgHistory(url: string, mode: 'write' | 'read'): Promise<HistoryStore> {
  const where = redact(url)
  let db: PgSession
  try {
    db = await connectPg(url)
  } catch (error) {
    throw new BenchError(
      'environment',
      `cannot reach the history database ${where} (${(error as Error).message})`,
      'check the connection string given with --db, and that the server is up and lets this user in',
    )
  }
  try {
    if ((await inspect(db, where, mode === 'write' ? 'may be' : 'must not be')) === 'none') {
      await db.query('BEGIN')
      await db.query("SELECT pg_advisory_xact_lock(hashtext('bench history'))")
      if ((await inspect(db, where, 'may be')) === 'none') {
        for (const statement of layout) await db.query(statement)
        await db.query('INSERT INTO bench_history_meta (application, layout) VALUES ($1, $2)', [
          application,
          layoutVersion,
        ])
      }
      await db.query('COMMIT')
    }
  } catch (error) {
    await db.end()
    if (error instanceof BenchError) throw error
    throw new BenchError(
      'environment',
      `the history database ${where} refused bench (${(error as Error).message})`,
      'give bench a user that may create tables in that database, or a database of its own',
    )
  }
  const failed = (error: unknown) =>
    error instanceof BenchError
      ? error
      : new BenchError(
          'environment',
          `the history database ${where} failed (${(error as Error).message})`,
          'check the server and retry; nothing was half-written (each add is one transaction)',
        )
  return {
    async addRun(run) {
      try {
        await db.query('BEGIN')
        const [added] = await db.query(
          `INSERT INTO bench_history_runs (commit_sha, branch, started_at, machine, profile, profile_sha256, added_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
          [
            run.commit,
            run.branch,
            run.startedAt,
            run.machine,
            run.profile,
            run.profileSha256,
            new Date().toISOString(),
          ],
        )
        if (!added) {
          await db.query('COMMIT')
          return 'already there'
        }
        const columns = ['run_id', 'position', 'stack', 'phase', 'step', 'label', 'trial', 'metric', 'value']
        // one INSERT per 1,000 values: a parameter list stays far below PostgreSQL's 65,535
        for (let start = 0; start < run.values.length; start += 1000) {
          const chunk = run.values.slice(start, start + 1000)
          const params = chunk.flatMap((v, i) => [
            added.id,
            start + i,
            v.stack,
            v.phase,
            v.step,
            v.label,
            v.trial,
            v.metric,
            v.value,
          ])
          const rows = chunk.map(
            (_, i) => `(${columns.map((_, c) => `$${i * columns.length + c + 1}`).join(', ')})`,
          )
          await db.query(
            `INSERT INTO bench_history_values (${columns.join(', ')}) VALUES ${rows.join(', ')}`,
            params,
          )
        }
        await db.query('COMMIT')
        return 'added'
      } catch (error) {
        await db.query('ROLLBACK').catch(() => {})
        throw failed(error)
      }
    },
    async runs() {
      try {
        const rows = await db.query(
          `SELECT id::integer AS id, commit_sha AS "commit", branch, started_at AS "startedAt", machine, profile,
                  profile_sha256 AS "profileSha256"
           FROM bench_history_runs ORDER BY started_at, id`,
        )
        const values = await db.query(
          'SELECT run_id::integer AS run, stack, phase, step, label, trial, metric, value FROM bench_history_values ORDER BY run_id, position',
        )
        const byRun = new Map<number, Record<string, unknown>[]>()
        for (const v of values) {
          const list = byRun.get(Number(v.run)) ?? []
          list.push(v)
          byRun.set(Number(v.run), list)
        }
        return rows.map((row) => {
          const parsed = historyRunSchema.safeParse({
            ...row,
            values: (byRun.get(Number(row.id)) ?? []).map(({ run: _, ...v }) => v),
          })
          if (!parsed.success) {
            throw new BenchError(
              'input',
              `the history in ${where} holds a run bench cannot read (run ${String(row.id)}: ${parsed.error.issues[0]?.message})`,
              'restore it from a backup, or keep a new history in another database',
            )
          }
          return parsed.data
        })
      } catch (error) {
        throw failed(error)
      }
    },
    close: () => db.end(),
  }
}
