import Table from 'cli-table3'
import type { CellRecord, ResultSet } from '../results/result-set-schema.js'
import { describeErrors } from './describe-errors.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'

const head = [
  'stack',
  'conns',
  'req/s',
  'MB/s',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'p99.9 ms',
  'max ms',
  'errors %',
  'error detail',
  'startup ms',
]

function row(cell: CellRecord): string[] {
  const startup = cell.startupMs === undefined ? '' : formatInteger(cell.startupMs)
  const stats = cell.stats
  if (!stats) {
    const why = cell.failures[0]?.message ?? 'no measurement'
    return [cell.stack, String(cell.connections), 'FAILED', '', '', '', '', '', '', '', why, startup]
  }
  const cv = stats.trials > 1 ? ` ±${formatPercent(stats.reqPerSecCv)}%` : ''
  const mark = cell.status === 'failed' ? ' FAILED' : ''
  return [
    cell.stack,
    String(cell.connections),
    `${formatInteger(stats.reqPerSec)}${cv}${mark}`,
    (stats.bytesPerSec / 1e6).toFixed(2),
    formatMs(stats.latency.p50),
    formatMs(stats.latency.p90),
    formatMs(stats.latency.p99),
    formatMs(stats.latency.p999),
    formatMs(stats.latency.max),
    formatPercent(stats.errorRate),
    describeErrors(stats.errors),
    startup,
  ]
}

/**
 * One table per phase, stacks side by side at each connection count. req/s counts 2xx responses only;
 * latency percentiles are of 2xx responses, from the trials' HDR histograms merged.
 */
export function renderResultsTable(results: ResultSet): string {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  const stackOrder = [...new Set(results.cells.map((c) => c.stack))]
  return phases
    .map((phase) => {
      const cells = results.cells
        .filter((c) => c.phase === phase)
        .sort((a, b) => a.step - b.step || stackOrder.indexOf(a.stack) - stackOrder.indexOf(b.stack))
      const table = new Table({ head, style: { head: [], border: [], compact: true } })
      for (const cell of cells) table.push(row(cell))
      const trials = Math.max(...cells.map((c) => c.stats?.trials ?? 0))
      const title = `phase "${phase}" — closed loop, ${trials} trial${trials === 1 ? '' : 's'}${trials > 1 ? ' (req/s: median ±CV)' : ''}`
      return `${title}\n${table.toString()}`
    })
    .join('\n\n')
}
