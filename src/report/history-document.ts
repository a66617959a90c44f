import type { HistoryCheck, HistoryCheckOptions } from '../history-analysis/check-history.js'
import type { HistorySeries } from '../history-analysis/history-series.js'
import { gateMetrics } from '../profile/schema.js'
import { formatGateValue, gateMetricNames } from './format-gate-value.js'
import { historyCharts } from './history-charts.js'
import type { ReportDocument } from './report-document.js'
import type { ReportTable } from './report-table.js'

/** A history as a report: the trend of every metric with its change points, the change points, every run. */
export function historyDocument(
  db: string,
  series: readonly HistorySeries[],
  check: HistoryCheck,
  options: HistoryCheckOptions,
): ReportDocument {
  const runs = new Map(series.flatMap((s) => s.points.map((p) => [p.runId, p] as const)))
  const ordered = [...runs.values()].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId - b.runId,
  )
  const changes: ReportTable = {
    title: 'change points',
    head: ['cell', 'metric', 'from run', 'commit', 'before → after', 'change', 'p', 'kind'],
    rows: check.changes.map((c) => [
      c.cell,
      gateMetricNames[c.metric],
      String(c.index + 1),
      c.at.commit?.slice(0, 10) ?? '',
      `${formatGateValue(c.metric, c.test.meanBefore)} → ${formatGateValue(c.metric, c.test.meanAfter)}`,
      `${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)} %`,
      c.test.p.toPrecision(2),
      c.regression ? 'regression' : 'improvement',
    ]),
    notes: [
      `E-divisive means with a t-test (Hunter): window ${options.window} runs, p < ${options.pValue}`,
      `history check: ${check.verdict.toUpperCase()}`,
    ],
  }
  const cells = [...new Set(series.map((s) => s.cell))]
  const perCell: ReportTable[] = cells.map((cell) => {
    const ofCell = series.filter((s) => s.cell === cell)
    const metrics = gateMetrics.filter((m) => ofCell.some((s) => s.metric === m))
    return {
      title: `${cell}: the median of each run's trials`,
      head: ['run', 'started', 'commit', 'branch', ...metrics.map((m) => gateMetricNames[m])],
      rows:
        ofCell[0]?.points.map((p, i) => [
          String(i + 1),
          p.startedAt.replace(/\.\d+Z$/, 'Z'),
          p.commit?.slice(0, 10) ?? '',
          p.branch ?? '',
          ...metrics.map((m) => {
            const point = ofCell.find((s) => s.metric === m)?.points.find((q) => q.runId === p.runId)
            return point ? formatGateValue(m, point.value) : ''
          }),
        ]) ?? [],
    }
  })
  return {
    title: `History report: ${db}`,
    facts: [
      ['history', db],
      ['runs', String(ordered.length)],
      ['from', `${ordered[0]?.startedAt ?? ''} (${ordered[0]?.commit?.slice(0, 10) ?? 'no commit'})`],
      ['to', `${ordered.at(-1)?.startedAt ?? ''} (${ordered.at(-1)?.commit?.slice(0, 10) ?? 'no commit'})`],
      ['cells', String(cells.length)],
    ],
    findings: check.changes.map((c) => ({
      topic: 'change' as const,
      text: `${c.cell}: ${gateMetricNames[c.metric]} ${c.regression ? 'regressed' : 'improved'} by ${Math.abs(c.changePct).toFixed(1)} % from run ${c.index + 1}${c.at.commit ? ` (${c.at.commit.slice(0, 10)})` : ''}, p ${c.test.p.toPrecision(2)}`,
      cells: [c.cell],
    })),
    warnings: [],
    charts: historyCharts(series, check),
    chartsNote: 'each metric across the runs, with the change points marked',
    tables: [...(check.changes.length > 0 ? [changes] : []), ...perCell],
  }
}
