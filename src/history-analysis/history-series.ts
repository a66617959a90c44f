import type { HistoryRun } from '../history/history-schema.js'
import type { GateMetric } from '../profile/schema.js'
import { cellKey } from '../stats/cell-key.js'
import { median } from '../stats/simple-statistics.js'

export interface HistoryPoint {
  runId: number
  commit: string | null
  branch: string | null
  startedAt: string
  /** The median of the run's trials: one stalled trial does not move it. */
  value: number
  trials: number
}

/** One metric of one cell across the runs that measured it, oldest first. */
export interface HistorySeries {
  /** "node / hello / c=50". */
  cell: string
  metric: GateMetric
  points: HistoryPoint[]
}

/** The history as series, one per cell and metric, each point a run's median; cells in the order first seen. */
export function historySeries(runs: readonly HistoryRun[]): HistorySeries[] {
  const series = new Map<string, HistorySeries>()
  for (const run of runs) {
    const groups = new Map<string, { cell: string; metric: GateMetric; values: number[] }>()
    for (const v of run.values) {
      const cell = `${v.stack} / ${v.phase} / ${v.label}`
      const key = `${cellKey(v)}\u0000${v.label}\u0000${v.metric}`
      const group = groups.get(key) ?? { cell, metric: v.metric, values: [] }
      group.values.push(v.value)
      groups.set(key, group)
    }
    for (const [key, group] of groups) {
      const found = series.get(key) ?? { cell: group.cell, metric: group.metric, points: [] }
      found.points.push({
        runId: run.id,
        commit: run.commit,
        branch: run.branch,
        startedAt: run.startedAt,
        value: median(group.values),
        trials: group.values.length,
      })
      series.set(key, found)
    }
  }
  return [...series.values()]
}
