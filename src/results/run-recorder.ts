import { foldRecords } from './fold-records.js'
import type { ResultSet } from './results-file-schema.js'
import type { RunRecord } from './run-record-schema.js'

/** Where a run's records go as they happen: the records file, and whoever listens (trials: auto, the search). */
export interface RunRecorder {
  /** Appends the record (to the file first: it is written before the next step starts), then tells listeners. */
  record(record: RunRecord): void
  /** Calls `listener` with every record from now on; returns the function that stops it. */
  listen(listener: (record: RunRecord) => void): () => void
  /** The records so far, in order. */
  readonly records: readonly RunRecord[]
  /** The fold of the records so far: what the results file says. */
  results(): ResultSet
}

/**
 * A recorder over `append` (the records file's, or nothing in a test), keeping every record in memory; `written`
 * are records already in the file (the run's start, written with it).
 */
export function createRunRecorder(
  append: (record: RunRecord) => void = () => {},
  written: readonly RunRecord[] = [],
): RunRecorder {
  const records: RunRecord[] = [...written]
  const listeners = new Set<(record: RunRecord) => void>()
  return {
    record(record) {
      append(record)
      records.push(record)
      for (const listener of listeners) listener(record)
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    records,
    results: () => foldRecords(records),
  }
}
