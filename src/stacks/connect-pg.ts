import pg from 'pg'

/** One connection to PostgreSQL, as bench uses it: a query returns its rows as plain objects. */
export interface PgSession {
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>
  end(): Promise<void>
}

/**
 * Opens one connection (the adapter of `pg`: the only file importing it). Rejects when it cannot connect
 * within `timeoutMs`, with the error's code (ECONNREFUSED, 57P03 "the database system is starting up", …)
 * in its message.
 */
export async function connectPg(url: string, timeoutMs = 5000): Promise<PgSession> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
  client.on('error', () => {}) // a server that goes away between queries: the next query rejects instead
  try {
    await client.connect()
  } catch (error) {
    await client.end().catch(() => {})
    const e = error as Error & { code?: string }
    throw new Error(e.code ? `${e.code} ${e.message}` : e.message)
  }
  return {
    query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows,
    end: () => client.end().catch(() => {}),
  }
}
