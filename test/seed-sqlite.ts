import Database from 'better-sqlite3'
import { CREATE_TABLES, FORTUNES, worldRows } from '../src/database/techempower-data.js'

/** Creates `file` as a SQLite database with TechEmpower's tables and rows (from techempower-data.ts), for tests. */
export function seedSqlite(file: string): void {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL') // as bench seeds it: readers do not wait for /updates' writer
    for (const sql of CREATE_TABLES) db.exec(sql)
    const world = db.prepare('INSERT INTO world (id, randomnumber) VALUES (?, ?)')
    const fortune = db.prepare('INSERT INTO fortune (id, message) VALUES (?, ?)')
    db.transaction(() => {
      for (const row of worldRows()) world.run(row.id, row.randomNumber)
      for (const row of FORTUNES) fortune.run(row.id, row.message)
    })()
  } finally {
    db.close()
  }
}
