import { emptyErrorCounts } from '../samples/error-classes.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { describeCpu } from './describe-cpu.js'
import { describeErrors } from './describe-errors.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'
import type { ReportTable } from './report-table.js'

type Column = [head: string, value: (cell: CellRecord, stats: CellStats) => string]

const ws = (stats: CellStats) => stats.websocket
/** Round trips of messages: from the intended send when the phase sends at a rate, else from the write. */
const roundTrip = (stats: CellStats) => stats.open?.corrected ?? stats.latency

const columns: Column[] = [
  ['stack', (c) => c.stack],
  ['conns', (c) => formatInteger(c.connections)],
  ['established', (_, s) => formatInteger(ws(s)?.established ?? 0)],
  ['refused', (_, s) => describeErrors(ws(s)?.refused ?? emptyErrorCounts())],
  ['dropped', (_, s) => (ws(s)?.dropped ? formatInteger(ws(s)?.dropped ?? 0) : '')],
  ['too large', (_, s) => (ws(s)?.tooLarge ? formatInteger(ws(s)?.tooLarge ?? 0) : '')],
  ['upgrade p99 ms', (_, s) => formatMs(ws(s)?.handshake.p99 ?? null)],
  ['msgs/s', (_, s) => (s.successes ? formatInteger(s.reqPerSec) : '')],
  ['RTT p50 ms', (_, s) => (s.successes ? formatMs(roundTrip(s).p50) : '')],
  ['RTT p99 ms', (_, s) => (s.successes ? formatMs(roundTrip(s).p99) : '')],
  ['RTT max ms', (_, s) => (s.successes ? formatMs(roundTrip(s).max) : '')],
  ['lost msgs %', (_, s) => (s.errorCount ? formatPercent(s.errorPercent) : '')],
  [
    'RSS per conn',
    (_, s) => (ws(s)?.rssPerConnection ?? []).map((r) => `${r.tier} ${r.kb.toFixed(1)} KB`).join(' / '),
  ],
  ['CPU, RSS by tier', (_, s) => describeCpu(s)],
  ['verdict', (c) => (c.status === 'failed' ? 'FAILED' : (c.verdict?.status ?? ''))],
]

/**
 * A protocol: websocket phase's table: per stack and step, how many connections upgraded, were refused (by
 * class and status) or dropped while held, the upgrade's p99, the messages' round trips (rate: from the
 * intended send, corrected; ping-pong: from the write), and each tier's RSS per held connection. Columns
 * with nothing to say for any row are left out (an idle hold has no messages).
 */
export function websocketTable(phase: string, cells: readonly CellRecord[]): ReportTable {
  const rows = cells.map((cell) => {
    const stats = cell.stats
    if (stats) return columns.map(([, value]) => value(cell, stats))
    const failed = columns.map(() => '')
    failed[0] = cell.stack
    failed[1] = formatInteger(cell.connections)
    failed[2] = 'FAILED'
    failed[columns.length - 1] = 'FAILED'
    return failed
  })
  const keep = columns.map((_, i) => i < 3 || rows.some((r) => (r[i] ?? '') !== ''))
  const trials = Math.max(...cells.map((c) => c.stats?.trials ?? 0))
  const rated = cells.some((c) => c.stats?.open)
  return {
    title: `phase "${phase}" — WebSocket, ${trials} trial${trials === 1 ? '' : 's'}${rated ? ', round trip from the intended send (corrected)' : ''}`,
    head: columns.filter((_, i) => keep[i]).map(([head]) => head),
    rows: rows.map((r) => r.filter((_, i) => keep[i])),
    rowMarks: cells.map((c) =>
      c.status === 'failed' ? 'failed' : c.verdict?.status === 'suspect' ? 'suspect' : undefined,
    ),
    notes: ['RSS per conn: (RSS while held − RSS before the step) ÷ connections established, per tier'],
  }
}
