import type { HistoryRun, NewHistoryRun } from './history-schema.js'

/**
 * A bench history, wherever it is kept: a SQLite file, or a PostgreSQL database a team shares. The two stores
 * implement it; `open-history.ts` chooses one (this file imports neither, so there is no cycle).
 */
export interface HistoryStore {
  /** Adds a run in one transaction; a run already there (same profile text and start time) is left alone. */
  addRun(run: NewHistoryRun): Promise<'added' | 'already there'>
  /** Every run, oldest first (by start time, then by the order added). */
  runs(): Promise<HistoryRun[]>
  close(): Promise<void>
}
