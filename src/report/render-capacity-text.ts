import type { ResultSet } from '../results/results-file-schema.js'
import { capacityTables } from './capacity-tables.js'
import { textTable } from './text-table.js'

/**
 * What bench capacity prints on stdout: the capacity, proxy-cost, scaling and USL tables with their notes. The
 * search steps were printed as they ran; they, and the charts, are in `bench report`.
 */
export function renderCapacityText(results: ResultSet): string {
  return capacityTables(results)
    .filter((table) => !table.title.startsWith('Search steps'))
    .map((table) =>
      [table.title, textTable(table.head, table.rows), ...(table.notes ?? []).map((n) => `  ${n}`)].join(
        '\n',
      ),
    )
    .join('\n\n')
}
