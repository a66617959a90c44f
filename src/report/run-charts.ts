import type { CellRecord, ResultSet } from '../results/result-set-schema.js'
import { chartSize, minChartMs, type ReportChart } from './report-chart.js'

interface Point {
  stack: string
  /** Connections (closed loop) or offered req/s (open loop): the phase's ladder. */
  x: number
  reqPerSec: number
  p50: number
  p99: number
}

function point(cell: CellRecord): Point[] {
  const stats = cell.stats
  if (!stats) return []
  // open loop: latency from each intended send (corrected for coordinated omission), as the tables show it
  const latency = stats.open?.corrected ?? stats.latency
  return [
    {
      stack: cell.stack,
      x: cell.rate ? cell.rate.to : cell.connections,
      reqPerSec: stats.reqPerSec,
      p50: Math.max(minChartMs, latency.p50),
      p99: Math.max(minChartMs, latency.p99),
    },
  ]
}

const stackColor = { field: 'stack', type: 'nominal', title: 'stack' }
const latencyAxis = (log: boolean) => ({
  field: 'ms',
  type: 'quantitative',
  title: `${log ? 'latency, ms (log scale)' : 'latency, ms'}`,
  ...(log ? { scale: { type: 'log' } } : {}),
})
const percentiles = (points: Point[]) =>
  points.flatMap((p) => [
    { stack: p.stack, x: p.x, percentile: 'p50', ms: p.p50 },
    { stack: p.stack, x: p.x, percentile: 'p99', ms: p.p99 },
  ])

/** A ladder of steps: req/s and latency against connections (or offered rate), one line per stack. */
function ladderCharts(phase: string, open: boolean, points: Point[]): ReportChart[] {
  const xs = points.map((p) => p.x)
  const wide = Math.max(...xs) / Math.max(1, Math.min(...xs)) >= 10
  const x = {
    field: 'x',
    type: 'quantitative',
    title: open ? 'offered req/s' : `connections${wide ? ' (log scale)' : ''}`,
    ...(wide ? { scale: { type: 'log' } } : {}),
  }
  const against = open ? 'offered rate' : 'connections'
  const how = open ? 'latency from each intended send (corrected)' : 'closed-loop latency'
  return [
    {
      name: `throughput:${phase}`,
      title: `Throughput against ${against} — phase "${phase}"`,
      caption: `2xx responses per second (median over trials) at each step, one line per stack.`,
      spec: {
        ...chartSize,
        data: { values: points },
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 1.5 },
        encoding: { x, y: { field: 'reqPerSec', type: 'quantitative', title: 'req/s' }, color: stackColor },
      },
    },
    {
      name: `latency:${phase}`,
      title: `Latency against ${against} — phase "${phase}"`,
      caption: `p50 (solid) and p99 (dashed), ${how}, from the trials' merged histograms.`,
      spec: {
        ...chartSize,
        data: { values: percentiles(points) },
        mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 1.5 },
        encoding: {
          x,
          y: latencyAxis(true),
          color: stackColor,
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'] },
          detail: { field: 'percentile' },
        },
      },
    },
  ]
}

/** A single step: req/s and latency per stack, as bars. */
function stepCharts(phase: string, open: boolean, points: Point[]): ReportChart[] {
  const x = { field: 'stack', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } }
  const label = (field: string, format: string) => ({
    mark: { type: 'text', baseline: 'bottom', dy: -2 },
    encoding: { text: { field, type: 'quantitative', format } },
  })
  return [
    {
      name: `throughput:${phase}`,
      title: `Throughput — phase "${phase}"`,
      caption: '2xx responses per second (median over trials), per stack.',
      spec: {
        ...chartSize,
        data: { values: points },
        encoding: { x, y: { field: 'reqPerSec', type: 'quantitative', title: 'req/s' }, color: stackColor },
        layer: [{ mark: { type: 'bar' } }, label('reqPerSec', ',.0f')],
      },
    },
    {
      name: `latency:${phase}`,
      title: `Latency — phase "${phase}"`,
      caption: `p50 and p99 per stack, ${open ? 'latency from each intended send (corrected)' : 'closed-loop latency'}, from the trials' merged histograms.`,
      spec: {
        ...chartSize,
        data: { values: percentiles(points) },
        encoding: {
          x,
          xOffset: { field: 'percentile', sort: ['p50', 'p99'] },
          y: latencyAxis(false),
          color: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'] },
        },
        layer: [{ mark: { type: 'bar' } }, label('ms', '.3~r')],
      },
    },
  ]
}

/** The results of bench run as charts: per phase, throughput and latency of every stack at every step. */
export function runCharts(results: ResultSet): ReportChart[] {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  return phases.flatMap((phase) => {
    const cells = results.cells.filter((c) => c.phase === phase)
    const points = cells.flatMap(point)
    if (points.length === 0) return []
    const open = cells[0]?.loop === 'open'
    const steps = new Set(cells.map((c) => c.step)).size
    return steps > 1 ? ladderCharts(phase, open, points) : stepCharts(phase, open, points)
  })
}
