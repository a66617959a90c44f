import type { HistoryCheck } from '../history-analysis/check-history.js'
import type { HistorySeries } from '../history-analysis/history-series.js'
import { type GateMetric, gateMetrics } from '../profile/schema.js'
import { chartSize, type ReportChart } from './report-chart.js'

const axisTitle: Record<GateMetric, string> = {
  reqPerSec: 'req/s',
  p50: 'p50, ms',
  p99: 'p99, ms',
  errorRate: 'error rate, %',
}
const what: Record<GateMetric, string> = {
  reqPerSec: '2xx responses per second',
  p50: 'p50 latency',
  p99: 'p99 latency',
  errorRate: 'failed requests, % of all',
}

/**
 * The history's trend, one chart per metric: a line per cell through each run's median (x: the run's place in
 * the history), and a dashed rule at every change point, red where a regression starts, green an improvement.
 * The error rate is drawn only when some run had errors.
 */
export function historyCharts(series: readonly HistorySeries[], check: HistoryCheck): ReportChart[] {
  return gateMetrics.flatMap((metric) => {
    const ofMetric = series.filter((s) => s.metric === metric)
    if (ofMetric.length === 0) return []
    if (metric === 'errorRate' && ofMetric.every((s) => s.points.every((p) => p.value === 0))) return []
    const points = ofMetric.flatMap((s) =>
      s.points.map((p, i) => ({ cell: s.cell, run: i + 1, value: p.value, commit: p.commit ?? '' })),
    )
    const changes = check.changes
      .filter((c) => c.metric === metric)
      .map((c) => ({ cell: c.cell, run: c.index + 1, kind: c.regression ? 'regression' : 'improvement' }))
    const x = { field: 'run', type: 'quantitative', title: 'run (oldest first)', axis: { tickMinStep: 1 } }
    const found =
      changes.length === 0
        ? 'No change point was found.'
        : `${changes.length} change point${changes.length > 1 ? 's' : ''}: the dashed rules (red a regression, green an improvement), each at the first run after the change.`
    return [
      {
        name: `history:${metric}`,
        title: `${axisTitle[metric].split(',')[0]} across the history`,
        caption: `${what[metric]}, the median of each run's trials, a line per cell. ${found}`,
        spec: {
          ...chartSize,
          layer: [
            {
              data: { values: points },
              mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 1.5 },
              encoding: {
                x,
                y: { field: 'value', type: 'quantitative', title: axisTitle[metric], scale: { zero: false } },
                color: { field: 'cell', type: 'nominal', title: 'cell', legend: { labelLimit: 320 } },
              },
            },
            {
              data: { values: changes },
              mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 2 },
              encoding: {
                x,
                color: {
                  field: 'kind',
                  type: 'nominal',
                  title: 'change point',
                  scale: { domain: ['regression', 'improvement'], range: ['#c62828', '#2e7d32'] },
                },
              },
            },
          ],
          resolve: { scale: { color: 'independent' } },
        },
      },
    ]
  })
}
