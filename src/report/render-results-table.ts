import type { ResultSet } from '../results/results-file-schema.js'
import { fitTextTable } from './fit-text-table.js'
import { resultsTables } from './results-tables.js'
import { textTable } from './text-table.js'
import { wrapText } from './wrap-text.js'

/** The figures people read first; the rest of a table too wide for the terminal goes below them. */
const readFirst = [
  'req/s',
  'achieved req/s',
  'p50 ms',
  'p99 ms',
  'errors %',
  'verdict',
  'msgs/s',
  'RTT p50 ms',
  'RTT p99 ms',
  'request',
]

/**
 * What bench run prints: the results of each phase as a terminal table under its title. With a `width` (a
 * terminal's), each table fits it: the first figures (stack, step, req/s, p50, p99, errors, verdict) in the
 * first table, the rest below; without one (a file, a pipe, --wide) every column on one row.
 */
export function renderResultsTable(results: ResultSet, width?: number): string {
  return resultsTables(results)
    .map((table) =>
      width === undefined
        ? `${table.title}\n${textTable(table.head, table.rows)}`
        : [
            ...wrapText(table.title, width, '  '),
            fitTextTable(table.head, table.rows, width, { keys: 2, first: readFirst }),
          ].join('\n'),
    )
    .join('\n\n')
}
