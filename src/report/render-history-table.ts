import type { HistorySeries } from '../history-analysis/history-series.js'
import { gateMetrics } from '../profile/schema.js'
import { formatGateValue, gateMetricNames } from './format-gate-value.js'
import { textTable } from './text-table.js'

const shortCommit = (commit: string | null) => (commit ? commit.slice(0, 10) : '')

/** bench history show: per cell, a row per run with each metric's median over the run's trials. */
export function renderHistoryTable(series: readonly HistorySeries[]): string {
  const cells = [...new Set(series.map((s) => s.cell))]
  return cells
    .map((cell) => {
      const ofCell = series.filter((s) => s.cell === cell)
      const metrics = gateMetrics.filter((m) => ofCell.some((s) => s.metric === m))
      const runs = new Map<
        number,
        { startedAt: string; commit: string | null; branch: string | null; trials: number }
      >()
      for (const s of ofCell) for (const p of s.points) runs.set(p.runId, p)
      const rows = [...runs.entries()].map(([runId, run]) => [
        String(runId),
        run.startedAt.replace(/\.\d+Z$/, 'Z'),
        shortCommit(run.commit),
        run.branch ?? '',
        ...metrics.map((m) => {
          const point = ofCell.find((s) => s.metric === m)?.points.find((p) => p.runId === runId)
          return point ? formatGateValue(m, point.value) : ''
        }),
        String(run.trials),
      ])
      const head = ['run', 'started', 'commit', 'branch', ...metrics.map((m) => gateMetricNames[m]), 'trials']
      return `${cell} (median of each run's trials)\n${textTable(head, rows)}`
    })
    .join('\n\n')
}
