import type { ResultSet } from '../results/results-file-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { citeCell } from './cite-cell.js'
import { formatInteger, formatMs } from './format-number.js'
import { chartSize, minChartMs, type ReportChart } from './report-chart.js'

/** A cell's verdict as the charts mark it: a failed cell that still measured something is drawn, marked. */
type ChartVerdict = 'ok' | 'suspect' | 'failed'

interface Point {
  stack: string
  /** Connections (closed loop) or offered req/s (open loop): the phase's ladder. */
  x: number
  reqPerSec: number
  /** null: nothing answered, so no latency to draw. */
  p50: number | null
  p99: number | null
  verdict: ChartVerdict
}

const verdictOf = (cell: CellRecord): ChartVerdict =>
  cell.status === 'failed' ? 'failed' : cell.verdict?.status === 'suspect' ? 'suspect' : 'ok'

/** Suspect and failed cells stand out: a hollow triangle or a cross on a line, a faded bar labelled so. */
const verdictShape = {
  field: 'verdict',
  type: 'nominal',
  title: 'verdict',
  scale: { domain: ['ok', 'suspect', 'failed'], range: ['circle', 'triangle-up', 'cross'] },
}
const verdictFill = {
  condition: { test: "datum.verdict === 'ok'", field: 'stack', type: 'nominal', title: 'stack' },
  value: 'white',
}
const verdictOpacity = { condition: { test: "datum.verdict === 'ok'", value: 1 }, value: 0.4 }
const verdictNote = (v: ChartVerdict) => (v === 'ok' ? '' : v === 'suspect' ? ' (suspect)' : ' (FAILED)')

/** The caption's last words: which cells are marked, and which failed ones could not be drawn at all. */
function markedNote(cells: readonly CellRecord[]): string {
  const marked = cells.filter((c) => c.stats && verdictOf(c) !== 'ok')
  const missing = cells.filter((c) => !c.stats)
  const parts = [
    marked.length
      ? `Marked (hollow triangle or faded bar: suspect; cross: failed): ${marked.map((c) => `${citeCell(c)}${verdictNote(verdictOf(c))}`).join(', ')}.`
      : '',
    missing.length ? `Not drawn, failed without a measurement: ${missing.map(citeCell).join(', ')}.` : '',
  ]
  return parts.filter(Boolean).join(' ')
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
      p50: latency.p50 === null ? null : Math.max(minChartMs, latency.p50),
      p99: latency.p99 === null ? null : Math.max(minChartMs, latency.p99),
      verdict: verdictOf(cell),
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
  points.flatMap((p) =>
    (['p50', 'p99'] as const).flatMap((percentile) => {
      const ms = p[percentile]
      return ms === null
        ? [] // nothing answered: no latency point
        : [
            {
              stack: p.stack,
              x: p.x,
              percentile,
              ms,
              verdict: p.verdict,
              label: `${formatMs(ms)}${verdictNote(p.verdict)}`,
            },
          ]
    }),
  )

/** A line per stack, and on it a point per step, shaped by its verdict. */
const lineLayers = (extra: Record<string, unknown> = {}) => [
  { mark: { type: 'line', strokeWidth: 1.5 }, encoding: extra },
  {
    mark: { type: 'point', size: 60, strokeWidth: 1.5, opacity: 1 },
    encoding: { shape: verdictShape, fill: verdictFill },
  },
]

/** A ladder of steps: req/s and latency against connections (or offered rate), one line per stack. */
function ladderCharts(phase: string, open: boolean, points: Point[], note: string): ReportChart[] {
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
      caption:
        `2xx responses per second (median over trials) at each step, one line per stack. ${note}`.trim(),
      spec: {
        ...chartSize,
        data: { values: points },
        encoding: { x, y: { field: 'reqPerSec', type: 'quantitative', title: 'req/s' }, color: stackColor },
        layer: lineLayers(),
      },
    },
    {
      name: `latency:${phase}`,
      title: `Latency against ${against} — phase "${phase}"`,
      caption: `p50 (solid) and p99 (dashed), ${how}, from the trials' merged histograms. ${note}`.trim(),
      spec: {
        ...chartSize,
        data: { values: percentiles(points) },
        encoding: { x, y: latencyAxis(true), color: stackColor, detail: { field: 'percentile' } },
        layer: lineLayers({
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'] },
        }),
      },
    },
  ]
}

/** A single step: req/s and latency per stack, as bars. */
function stepCharts(phase: string, open: boolean, points: Point[], note: string): ReportChart[] {
  const x = { field: 'stack', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } }
  // the value above each bar, as the tables write it, and "(suspect)" or "(FAILED)" where it is so
  const label = () => ({
    mark: { type: 'text', baseline: 'bottom', dy: -2 },
    encoding: { text: { field: 'label', type: 'nominal' } },
  })
  const bar = { mark: { type: 'bar' }, encoding: { opacity: verdictOpacity } }
  return [
    {
      name: `throughput:${phase}`,
      title: `Throughput — phase "${phase}"`,
      caption: `2xx responses per second (median over trials), per stack. ${note}`.trim(),
      spec: {
        ...chartSize,
        data: {
          values: points.map((p) => ({
            ...p,
            label: `${formatInteger(p.reqPerSec)}${verdictNote(p.verdict)}`,
          })),
        },
        encoding: { x, y: { field: 'reqPerSec', type: 'quantitative', title: 'req/s' }, color: stackColor },
        layer: [bar, label()],
      },
    },
    {
      name: `latency:${phase}`,
      title: `Latency — phase "${phase}"`,
      caption:
        `p50 and p99 per stack, ${open ? 'latency from each intended send (corrected)' : 'closed-loop latency'}, from the trials' merged histograms. ${note}`.trim(),
      spec: {
        ...chartSize,
        data: { values: percentiles(points) },
        encoding: {
          x,
          xOffset: { field: 'percentile', sort: ['p50', 'p99'] },
          y: latencyAxis(false),
          color: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'] },
        },
        layer: [bar, label()],
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
    const note = markedNote(cells)
    return steps > 1 ? ladderCharts(phase, open, points, note) : stepCharts(phase, open, points, note)
  })
}
