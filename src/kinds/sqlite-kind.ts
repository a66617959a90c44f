import { join } from 'node:path'
import type { DatabaseKind } from './database-kind.js'

/**
 * SQLite, the embedded default: one file in the stack's temp folder, created and seeded by bench
 * (better-sqlite3) before the app starts. It runs inside the app's own process, so it has no tier of its own:
 * its CPU and memory are the app's.
 */
export const sqliteKind = {
  name: 'sqlite',
  tier: null,
  client: 'sqlite',
  binary: null,
  listens: false,
  dropsRoot: false,
  counts: false,
  launch(input) {
    const file = join(input.dir, 'bench.db')
    return { prepare: [], server: null, url: `sqlite://${file}`, admin: file, database: file }
  },
  stopSignal: 'SIGTERM',
  stopGraceMs: 0,
} as const satisfies DatabaseKind
