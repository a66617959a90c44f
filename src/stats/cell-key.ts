/** What names a cell: a stack at one step of one phase. */
interface CellCoordinates {
  stack: string
  phase: string
  step: number
}

/**
 * The one key of a cell (stack × phase × step), readable in messages: "nginx / hello / step 1". Every grouping
 * of trials by cell (the cells, the gate's pairs, the history, the capacity search) goes through it.
 */
export function cellKey(cell: CellCoordinates): string {
  return `${cell.stack} / ${cell.phase} / step ${cell.step}`
}
