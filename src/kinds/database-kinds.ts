import type { DatabaseKind } from './database-kind.js'
import { postgresKind } from './postgres-kind.js'
import { sqliteKind } from './sqlite-kind.js'

/**
 * Every database a stack can name (database:), by name. Pure: the profile's schema and rules read it. A new kind
 * is its module and one line here.
 */
export const databaseKinds = {
  sqlite: sqliteKind,
  postgres: postgresKind,
} as const satisfies Record<string, DatabaseKind>
