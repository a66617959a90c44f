import type { ResultSet } from '../results/results-file-schema.js'
import { resultsTables } from './results-tables.js'
import { textTable } from './text-table.js'

/** What bench run prints: the results of each phase as a terminal table under its title. */
export function renderResultsTable(results: ResultSet): string {
  return resultsTables(results)
    .map((table) => `${table.title}\n${textTable(table.head, table.rows)}`)
    .join('\n\n')
}
