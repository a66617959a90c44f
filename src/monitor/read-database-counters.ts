import { connectPg } from '../stacks/connect-pg.js'

/** What a database has done so far, as its statistics views count it. */
export interface DatabaseCounters {
  /** Statements executed in the app's database: pg_stat_statements' calls, summed (exact, updated as each ends). */
  statements: number
  /** Transactions committed there: pg_stat_database.xact_commit (flushed by each backend at most once a second). */
  transactions: number
}

/**
 * One read of the counters of `database`, over one connection to the admin database `url` (so this read itself
 * is counted there, not in the app's database); undefined when the server does not answer (it died: the step
 * that follows fails on its own).
 */
export async function readDatabaseCounters(statistics: {
  url: string
  database: string
}): Promise<DatabaseCounters | undefined> {
  let session: Awaited<ReturnType<typeof connectPg>> | undefined
  try {
    session = await connectPg(statistics.url, 2000)
    const [row] = await session.query(
      `SELECT
         (SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
           WHERE d.datname = $1)::bigint AS statements,
         (SELECT xact_commit FROM pg_stat_database WHERE datname = $1)::bigint AS transactions`,
      [statistics.database],
    )
    return { statements: Number(row?.statements ?? 0), transactions: Number(row?.transactions ?? 0) }
  } catch {
    return undefined
  } finally {
    await session?.end()
  }
}
