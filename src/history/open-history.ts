import type { HistoryStore } from './history-store.js'
import { isPostgresUrl } from './is-postgres-url.js'
import { openPgHistory } from './pg-history-store.js'
import { openSqliteHistory } from './sqlite-history-store.js'

/**
 * Opens the history `db` names — a PostgreSQL connection string, or else the path of a SQLite file — to read,
 * or to write (creating it when it does not exist yet).
 */
export function openHistory(db: string, mode: 'write' | 'read'): Promise<HistoryStore> {
  return isPostgresUrl(db) ? openPgHistory(db, mode) : Promise.resolve(openSqliteHistory(db, mode))
}
