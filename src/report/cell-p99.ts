import type { CellStats } from '../stats/cell-stats-schema.js'

/** The p99 the tables show: from the intended send in open loop (corrected), as measured in closed loop; null when nothing was measured. */
export function cellP99(stats: CellStats): number | null {
  return stats.open?.corrected.p99 ?? stats.latency.p99
}
