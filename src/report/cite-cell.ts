import { stepLabel } from '../plan/step-label.js'
import type { CellRecord } from '../stats/trial-record-schema.js'

/** How a finding names a cell, as the tables do: "node · ladder c=10", "nginx-node · rates 400 req/s". */
export function citeCell(cell: Pick<CellRecord, 'stack' | 'phase' | 'connections' | 'rate'>): string {
  return `${cell.stack} · ${cell.phase} ${stepLabel(cell)}`
}
