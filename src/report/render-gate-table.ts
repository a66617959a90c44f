import type { GateResult } from '../gate/gate-result-schema.js'
import { fitTextTable } from './fit-text-table.js'
import { gateTable } from './gate-table.js'
import { textTable } from './text-table.js'
import { wrapText } from './wrap-text.js'

/**
 * The gate's verdict table in the terminal, then the overall verdict. With a `width` (a terminal's), fitted
 * to it: cell, metric, change and verdict first, the rest (the reason last) below.
 */
export function renderGateTable(gate: GateResult, width?: number): string {
  const table = gateTable(gate)
  if (width === undefined)
    return [table.title, textTable(table.head, table.rows), ...(table.notes ?? [])].join('\n')
  return [
    ...wrapText(table.title, width, '  '),
    fitTextTable(table.head, table.rows, width, { keys: 2, first: ['change', 'verdict'] }),
    ...(table.notes ?? []).flatMap((note) => wrapText(note, width, '  ')),
  ].join('\n')
}
