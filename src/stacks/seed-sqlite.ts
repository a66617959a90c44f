import Database from 'better-sqlite3'
import { CREATE_TABLES, FORTUNES, worldRows } from '../database/techempower-data.js'

/**
 * Creates the SQLite file at `file` with TechEmpower's tables and rows (10,000 World rows, 12 fortunes), in one
 * transaction: the adapter of better-sqlite3 for seeding (the history has its own, src/history/history-store.ts).
 * Returns the row counts read back.
 */
export function seedSqlite(file: string): { world: number; fortune: number } {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL') // readers (the app's connections) do not wait for a writer (/updates)
    db.transaction(() => {
      for (const sql of CREATE_TABLES) db.exec(sql)
      const world = db.prepare('INSERT INTO world (id, randomnumber) VALUES (?, ?)')
      for (const row of worldRows()) world.run(row.id, row.randomNumber)
      const fortune = db.prepare('INSERT INTO fortune (id, message) VALUES (?, ?)')
      for (const row of FORTUNES) fortune.run(row.id, row.message)
    })()
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    return { world: count('world'), fortune: count('fortune') }
  } finally {
    db.close()
  }
}
