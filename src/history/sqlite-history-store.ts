import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { BenchError } from '../bench-error.js'
import { historyRunSchema } from './history-schema.js'
import type { HistoryStore } from './history-store.js'

/** PRAGMA application_id of a bench history: "bnch". A SQLite file with another id is not ours. */
const applicationId = 0x626e6368
/** PRAGMA user_version: the history's layout. Bump it when an older bench would misread a newer file. */
const layoutVersion = 1

const layout = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  commit_sha TEXT,
  branch TEXT,
  started_at TEXT NOT NULL,
  machine TEXT NOT NULL,
  profile TEXT NOT NULL,
  profile_sha256 TEXT NOT NULL,
  added_at TEXT NOT NULL,
  UNIQUE (profile_sha256, started_at)
);
CREATE TABLE trial_values (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  stack TEXT NOT NULL,
  phase TEXT NOT NULL,
  step INTEGER NOT NULL,
  label TEXT NOT NULL,
  trial INTEGER NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL
);
CREATE INDEX trial_values_by_run ON trial_values (run_id);
PRAGMA application_id = ${applicationId};
PRAGMA user_version = ${layoutVersion};
`

const notHistory = 'give the path of a history that bench history add created, or a new path for a new one'

/** The first 16 bytes of every SQLite 3 database. */
function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(16)
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\u0000'
  } finally {
    closeSync(fd)
  }
}

/** What a SQLite failure means for the user: a damaged file is input (exit 2), never written to again. */
function damaged(path: string, error: unknown): BenchError {
  const { code, message } = error as { code?: string; message: string }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /malformed|not a database/i.test(message)) {
    return new BenchError(
      'input',
      `the history ${path} is damaged (${message.replace(/\s*\n\s*/g, ' ').replace(/\*\*\* in database main \*\*\* /, '')}); bench left it as it was`,
      'restore it from a backup, or start a new history with another --db',
    )
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new BenchError(
      'environment',
      `cannot open the history ${path} (${message})`,
      'choose a writable --db path',
    )
  }
  return error instanceof BenchError ? error : (error as BenchError)
}

function checkIsOurs(db: Database.Database, path: string, fresh: boolean): void {
  const id = db.pragma('application_id', { simple: true }) as number
  const version = db.pragma('user_version', { simple: true }) as number
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  ).map((t) => t.name)
  if (fresh && id === 0 && tables.length === 0) return
  if (id !== applicationId) {
    throw new BenchError(
      'input',
      `${path} is a SQLite database of another program, not a bench history (application_id ${id}${tables.length ? `; tables ${tables.join(', ')}` : ''}); bench left it as it was`,
      notHistory,
    )
  }
  if (version > layoutVersion) {
    throw new BenchError(
      'input',
      `the history ${path} has layout ${version}, written by a newer bench; this bench reads layout ${layoutVersion}`,
      'use the newer bench, or start a new history with another --db',
    )
  }
}

/**
 * Opens (for `add`, creating it if need be) the history database: one SQLite file, through better-sqlite3 (the
 * adapter of the package: the only file importing it). Anything that is not a bench history — a text file,
 * another program's database, a damaged file — is refused with an input error before a byte of it is written.
 */
export function openSqliteHistory(path: string, mode: 'write' | 'read'): HistoryStore {
  const exists = existsSync(path)
  if (!exists && mode === 'read') {
    throw new BenchError(
      'input',
      `there is no history at ${path}`,
      `record a run first: bench history add <results.json> --db ${path}`,
    )
  }
  if (exists && statSync(path).isDirectory()) {
    throw new BenchError('input', `the history ${path} is a folder`, 'give the path of a file with --db')
  }
  if (!exists && !existsSync(dirname(path))) {
    throw new BenchError(
      'environment',
      `cannot create the history ${path}: the folder ${dirname(path)} does not exist`,
      'create the folder, or choose another --db',
    )
  }
  const empty = exists && statSync(path).size === 0
  if (exists && !empty && !hasSqliteHeader(path)) {
    throw new BenchError(
      'input',
      `${path} is not a SQLite database, so not a bench history; bench left it as it was`,
      notHistory,
    )
  }
  let db: Database.Database
  try {
    db = new Database(path, { readonly: mode === 'read', fileMustExist: mode === 'read' })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_CANTOPEN') {
      throw new BenchError(
        'environment',
        `cannot create the history ${path}: its folder does not exist or is not writable`,
        'create the folder, or choose another --db',
      )
    }
    throw damaged(path, error)
  }
  try {
    checkIsOurs(db, path, !exists || empty)
    if (mode === 'read' && (db.pragma('application_id', { simple: true }) as number) === 0) {
      throw new BenchError(
        'input',
        `the history ${path} is empty`,
        `record a run first: bench history add <results.json> --db ${path}`,
      )
    }
    if (mode === 'write') {
      const check = db.pragma('quick_check', { simple: true })
      if (check !== 'ok') throw damaged(path, { code: 'SQLITE_CORRUPT', message: String(check) })
      if ((db.pragma('application_id', { simple: true }) as number) === 0) db.exec(layout)
    }
  } catch (error) {
    db.close()
    throw damaged(path, error)
  }
  return {
    async addRun(run) {
      try {
        const insertRun = db.prepare(
          `INSERT OR IGNORE INTO runs (commit_sha, branch, started_at, machine, profile, profile_sha256, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        const insertValue = db.prepare(
          'INSERT INTO trial_values (run_id, stack, phase, step, label, trial, metric, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        return db.transaction(() => {
          const added = insertRun.run(
            run.commit,
            run.branch,
            run.startedAt,
            run.machine,
            run.profile,
            run.profileSha256,
            new Date().toISOString(),
          )
          if (added.changes === 0) return 'already there' as const
          for (const v of run.values) {
            insertValue.run(
              added.lastInsertRowid,
              v.stack,
              v.phase,
              v.step,
              v.label,
              v.trial,
              v.metric,
              v.value,
            )
          }
          return 'added' as const
        })()
      } catch (error) {
        throw damaged(path, error)
      }
    },
    async runs() {
      try {
        const rows = db
          .prepare(
            `SELECT id, commit_sha AS "commit", branch, started_at AS startedAt, machine, profile,
                    profile_sha256 AS profileSha256
             FROM runs ORDER BY started_at, id`,
          )
          .all() as Record<string, unknown>[]
        const values = db.prepare(
          'SELECT stack, phase, step, label, trial, metric, value FROM trial_values WHERE run_id = ? ORDER BY rowid',
        )
        return rows.map((row) => {
          const parsed = historyRunSchema.safeParse({ ...row, values: values.all(row.id) })
          if (!parsed.success) {
            throw new BenchError(
              'input',
              `the history ${path} holds a run bench cannot read (run ${String(row.id)}: ${parsed.error.issues[0]?.message})`,
              'restore it from a backup, or start a new history with another --db',
            )
          }
          return parsed.data
        })
      } catch (error) {
        throw damaged(path, error)
      }
    },
    async close() {
      db.close()
    },
  }
}
