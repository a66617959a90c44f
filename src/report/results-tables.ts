import { describeRate } from '../plan/describe-rate.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { describeCpu } from './describe-cpu.js'
import { describeErrors } from './describe-errors.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'
import type { ReportTable } from './report-table.js'
import { websocketTable } from './websocket-table.js'

interface Column {
  head: string
  value: (cell: CellRecord, stats: CellStats) => string
}

const startup = (cell: CellRecord) => (cell.startupMs === undefined ? '' : formatInteger(cell.startupMs))
const verdict = (cell: CellRecord) => (cell.status === 'failed' ? 'FAILED' : (cell.verdict?.status ?? ''))
const reqPerSec = (stats: CellStats) =>
  `${formatInteger(stats.reqPerSec)}${stats.trials > 1 ? ` ±${formatPercent(stats.reqPerSecCv * 100)}%` : ''}`

/** "16 slow-headers: 16 held, 0 served, 0 closed" */
function describeSideLoad(stats: CellStats): string {
  const parts: string[] = []
  const slow = stats.slowClients
  if (slow)
    parts.push(
      `${slow.connections} ${slow.kind}: ${slow.held} held, ${slow.served} served, ${slow.closed} closed${slow.refused ? `, ${slow.refused} refused` : ''}`,
    )
  const idle = stats.idle
  if (idle) parts.push(`${idle.connections} idle: ${idle.opened} opened, ${idle.closed} closed early`)
  return parts.join('; ')
}

/** "20,110 (20.0/resp)": the database's statements per second, and per 2xx response. */
function queriesPerSec(stats: CellStats): string {
  const db = stats.database
  if (!db) return ''
  return `${formatInteger(db.queriesPerSec)} (${db.queriesPerResponse.toFixed(1)}/resp)`
}

const tail: Column[] = [
  { head: 'errors %', value: (_, s) => formatPercent(s.errorPercent) },
  { head: 'error detail', value: (_, s) => describeErrors(s.errors) },
  { head: 'slow / idle clients', value: (_, s) => describeSideLoad(s) },
  { head: 'CPU, RSS by tier', value: (_, s) => describeCpu(s) },
  { head: 'startup ms', value: (c) => startup(c) },
  { head: 'verdict', value: (c) => verdict(c) },
]

const closedColumns: Column[] = [
  { head: 'stack', value: (c) => c.stack },
  { head: 'conns', value: (c) => String(c.connections) },
  { head: 'req/s', value: (_, s) => reqPerSec(s) },
  { head: 'queries/s', value: (_, s) => queriesPerSec(s) },
  { head: 'MB/s', value: (_, s) => (s.bytesPerSec / 1e6).toFixed(2) },
  { head: 'p50 ms', value: (_, s) => formatMs(s.latency.p50) },
  { head: 'p90 ms', value: (_, s) => formatMs(s.latency.p90) },
  { head: 'p99 ms', value: (_, s) => formatMs(s.latency.p99) },
  { head: 'p99.9 ms', value: (_, s) => formatMs(s.latency.p999) },
  { head: 'max ms', value: (_, s) => formatMs(s.latency.max) },
  ...tail,
]

/** Open loop: latency corrected for coordinated omission (from the intended send), with the uncorrected p99 beside it. */
const openColumns: Column[] = [
  { head: 'stack', value: (c) => c.stack },
  { head: 'offered', value: (c) => (c.rate ? describeRate(c.rate) : '') },
  { head: 'achieved req/s', value: (_, s) => reqPerSec(s) },
  { head: 'queries/s', value: (_, s) => queriesPerSec(s) },
  { head: 'MB/s', value: (_, s) => (s.bytesPerSec / 1e6).toFixed(2) },
  { head: 'p50 ms', value: (_, s) => formatMs(s.open?.corrected.p50 ?? null) },
  { head: 'p90 ms', value: (_, s) => formatMs(s.open?.corrected.p90 ?? null) },
  { head: 'p99 ms', value: (_, s) => formatMs(s.open?.corrected.p99 ?? null) },
  { head: 'p99 uncorr. ms', value: (_, s) => formatMs(s.latency.p99) },
  { head: 'p99.9 ms', value: (_, s) => formatMs(s.open?.corrected.p999 ?? null) },
  { head: 'max ms', value: (_, s) => formatMs(s.open?.corrected.max ?? null) },
  { head: 'lag p99 ms', value: (_, s) => formatMs(s.open?.sendLag.p99 ?? 0) },
  { head: 'blocked', value: (_, s) => formatInteger(s.open?.blocked ?? 0) },
  ...tail,
]

function row(columns: Column[], cell: CellRecord): string[] {
  const stats = cell.stats
  if (stats) return columns.map((column) => column.value(cell, stats))
  const cells = columns.map(() => '')
  cells[0] = cell.stack
  cells[1] = columns === openColumns && cell.rate ? describeRate(cell.rate) : String(cell.connections)
  cells[2] = 'FAILED'
  cells[columns.findIndex((c) => c.head === 'error detail')] = cell.failures[0]?.message ?? 'no measurement'
  cells[columns.length - 2] = startup(cell)
  cells[columns.length - 1] = 'FAILED'
  return cells
}

/**
 * One table per phase, stacks side by side at each step. req/s counts 2xx responses only; latency is of 2xx
 * responses, from the trials' HDR histograms merged. Closed and open loop get their own columns; a column that
 * says nothing for any row (no errors, no slow clients) is left out.
 */
export function resultsTables(results: ResultSet): ReportTable[] {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  const stackOrder = [...new Set(results.cells.map((c) => c.stack))]
  return phases.flatMap((phase) => {
    const cells = phaseCells(results, phase, stackOrder)
    if (cells[0]?.loop === 'websocket') return [websocketTable(phase, cells)]
    const table = phaseTable(results, phase, stackOrder)
    const endpoints = endpointTable(results, phase, stackOrder)
    return endpoints ? [table, endpoints] : [table]
  })
}

function phaseCells(results: ResultSet, phase: string, stackOrder: string[]): CellRecord[] {
  return results.cells
    .filter((c) => c.phase === phase)
    .sort((a, b) => a.step - b.step || stackOrder.indexOf(a.stack) - stackOrder.indexOf(b.stack))
}

/**
 * A phase that mixes requests: a row per stack, step and request — its req/s, latency (the phase table's: from
 * the intended send in open loop) and errors. Engines that do not count requests apart (autocannon) give none.
 */
function endpointTable(results: ResultSet, phase: string, stackOrder: string[]): ReportTable | undefined {
  const cells = phaseCells(results, phase, stackOrder).filter((c) => c.stats?.endpoints)
  if (cells.length === 0) return undefined
  const open = cells[0]?.loop === 'open'
  return {
    title: `phase "${phase}" by request`,
    head: ['stack', open ? 'offered' : 'conns', 'request', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors %'],
    rows: cells.flatMap((cell) =>
      (cell.stats?.endpoints ?? []).map((e) => [
        cell.stack,
        open && cell.rate ? describeRate(cell.rate) : String(cell.connections),
        e.name,
        formatInteger(e.reqPerSec),
        formatMs(e.latency.p50), // "—" with no 2xx answer: no latency to show
        formatMs(e.latency.p99),
        formatMs(e.latency.max),
        formatPercent(e.errorPercent),
      ]),
    ),
    rowMarks: cells.flatMap((cell) =>
      (cell.stats?.endpoints ?? []).map(() => (cell.verdict?.status === 'suspect' ? 'suspect' : undefined)),
    ),
    notes: ['connect errors belong to no request: they are counted in the phase table only'],
  }
}

function phaseTable(results: ResultSet, phase: string, stackOrder: string[]): ReportTable {
  const cells = phaseCells(results, phase, stackOrder)
  const loop = cells[0]?.loop ?? 'closed'
  const all = loop === 'open' ? openColumns : closedColumns
  const rows = cells.map((cell) => row(all, cell))
  const keep = all.map((c, i) => c.head === 'stack' || rows.some((r) => (r[i] ?? '') !== ''))
  const trials = Math.max(...cells.map((c) => c.stats?.trials ?? 0))
  const how = loop === 'open' ? 'open loop, latency from the intended send (corrected)' : 'closed loop'
  return {
    title: `phase "${phase}" — ${how}, ${trials} trial${trials === 1 ? '' : 's'}${trials > 1 ? ' (req/s: median ±CV)' : ''}`,
    head: all.filter((_, i) => keep[i]).map((c) => c.head),
    rows: rows.map((r) => r.filter((_, i) => keep[i])),
    rowMarks: cells.map((c) =>
      c.status === 'failed' ? 'failed' : c.verdict?.status === 'suspect' ? 'suspect' : undefined,
    ),
  }
}
