import type { GateResult } from '../gate/gate-result-schema.js'
import { gateTable } from './gate-table.js'
import { textTable } from './text-table.js'

/** The gate's verdict table in the terminal, then the overall verdict. */
export function renderGateTable(gate: GateResult): string {
  const table = gateTable(gate)
  return [table.title, textTable(table.head, table.rows), ...(table.notes ?? [])].join('\n')
}
