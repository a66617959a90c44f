import type { HistoryRun, NewHistoryRun } from './history-schema.js'
import { openPgHistory } from './pg-history-store.js'
import { openSqliteHistory } from './sqlite-history-store.js'

/** A bench history, wherever it is kept: a SQLite file, or a PostgreSQL database a team shares. */
export interface HistoryStore {
  /** Adds a run in one transaction; a run already there (same profile text and start time) is left alone. */
  addRun(run: NewHistoryRun): Promise<'added' | 'already there'>
  /** Every run, oldest first (by start time, then by the order added). */
  runs(): Promise<HistoryRun[]>
  close(): Promise<void>
}

/** A PostgreSQL connection string (postgres:// or postgresql://), rather than a file path. */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db)

/**
 * Opens the history `db` names — a PostgreSQL connection string, or else the path of a SQLite file — to read,
 * or to write (creating it when it does not exist yet).
 */
export function openHistory(db: string, mode: 'write' | 'read'): Promise<HistoryStore> {
  return isPostgresUrl(db) ? openPgHistory(db, mode) : Promise.resolve(openSqliteHistory(db, mode))
}
