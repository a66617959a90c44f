import type { CapacityResult, ScalingResult } from '../capacity/capacity-result-schema.js'
import { uslThroughput } from '../capacity/fit-usl.js'
import type { ResultSet } from '../results/results-file-schema.js'
import { formatInteger } from './format-number.js'
import { pairProxySearches } from './pair-proxy-searches.js'
import { chartSize, minChartMs, type ReportChart } from './report-chart.js'

/** The USL curve is drawn at most this far past the measured range (N* can be far out when κ is tiny). */
const maxCurveStretch = 4

const latencyKeys = ['p99', 'p999', 'p90', 'p50'] as const
const latencyNames = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' } as const

function sloRule(capacity: CapacityResult): { ms: number; label: string } | undefined {
  const key = latencyKeys.find((k) => capacity.slo?.[k] !== undefined)
  const ms = key === undefined ? undefined : capacity.slo?.[key]
  if (key === undefined || ms === undefined) return undefined
  return { ms, label: `SLO ${latencyNames[key]} ${ms} ms` }
}

/** Horizontal rule at `y` with a label at its left end, as two layers over their own one-row data. */
function ruleLayers(y: number, label: string, color: string): Record<string, unknown>[] {
  const data = { values: [{ y, label }] }
  return [
    {
      data,
      mark: { type: 'rule', color, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    },
    {
      data,
      mark: { type: 'text', color, align: 'left', baseline: 'bottom', dx: 4, dy: -2, x: 0 },
      encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    },
  ]
}

function latencyChart(capacity: CapacityResult): ReportChart | undefined {
  const values = capacity.searches.flatMap((search) =>
    search.steps.flatMap((step) =>
      (['p50', 'p99'] as const).flatMap((percentile) => {
        const ms = step.latency[percentile]
        // no answer, no latency: the step has no point on the latency chart
        return ms === null
          ? []
          : [
              {
                stack: search.stack,
                rate: step.rate,
                percentile,
                ms: Math.max(minChartMs, ms),
                outcome: step.outcome,
              },
            ]
      }),
    ),
  )
  if (values.length === 0) return undefined
  // the line runs through one point per rate (the latest run of it: a retried step's second run stands)
  const latest = new Map(values.map((v) => [`${v.stack}\n${v.percentile}\n${v.rate}`, v]))
  const lineValues = [...latest.values()]
  const slo = sloRule(capacity)
  const y = {
    field: 'ms',
    type: 'quantitative',
    scale: { type: 'log' },
    title: 'corrected latency, ms (log scale)',
  }
  const encoding = {
    x: { field: 'rate', type: 'quantitative', title: 'offered req/s' },
    y,
    color: { field: 'stack', type: 'nominal', title: 'stack' },
    strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'] },
    detail: { field: 'percentile' },
  }
  return {
    name: 'latency',
    title: 'Latency against offered rate',
    caption:
      'p50 (solid) and p99 (dashed) latency from each intended send, at every step of every SLO search; ' +
      `points mark each step's outcome (the line takes a step run twice at its second run)${slo ? `; the dashed rule is the ${slo.label}` : ''}.`,
    spec: {
      ...chartSize,
      layer: [
        {
          data: { values },
          layer: [
            { data: { values: lineValues }, mark: { type: 'line', strokeWidth: 1.5 }, encoding },
            {
              mark: { type: 'point', filled: true, size: 40 },
              encoding: {
                x: encoding.x,
                y,
                color: encoding.color,
                detail: encoding.detail,
                shape: {
                  field: 'outcome',
                  type: 'nominal',
                  title: 'outcome',
                  sort: ['pass', 'fail', 'suspect'],
                },
              },
            },
          ],
        },
        ...(slo ? ruleLayers(slo.ms, slo.label, '#c0392b') : []),
      ],
      resolve: { scale: { strokeDash: 'independent' } },
    },
  }
}

function scalingChart(scaling: ScalingResult, target: number | undefined): ReportChart | undefined {
  const measured = scaling.points.flatMap((p) =>
    p.reqPerSec === null
      ? []
      : [
          {
            n: p.n,
            reqPerSec: p.reqPerSec,
            low: p.reqPerSec * (1 - p.reqPerSecCv),
            high: p.reqPerSec * (1 + p.reqPerSecCv),
          },
        ],
  )
  if (measured.length === 0) return undefined
  const fit = scaling.fit
  const measuredMax = Math.max(...measured.map((p) => p.n))
  const peak = fit?.peakN == null ? measuredMax : Math.ceil(fit.peakN)
  const curveMax = Math.min(Math.max(measuredMax, peak), measuredMax * maxCurveStretch)
  const samples = 200
  const curve = fit
    ? Array.from({ length: samples + 1 }, (_, i) => {
        const n = 1 + ((curveMax - 1) * i) / samples
        return { n, model: uslThroughput(fit, n) }
      })
    : []
  const top = Math.max(...measured.map((p) => p.high), ...curve.map((p) => p.model))
  // a target far above one machine's throughput would flatten the curve: it is named in the caption instead
  const showTarget = target !== undefined && target <= top * 1.5
  const x = {
    field: 'n',
    type: 'quantitative',
    title: scaling.parameter,
    scale: { domainMin: 0 },
    axis: { tickMinStep: 1, format: 'd' },
  }
  const series = (name: string) => ({
    datum: name,
    type: 'nominal',
    title: null,
    scale: { domain: ['measured', 'USL model'], range: ['#1f77b4', '#ff7f0e'] },
  })
  const y = { field: 'reqPerSec', type: 'quantitative', title: 'req/s' }
  const layers: Record<string, unknown>[] = [
    {
      data: { values: measured },
      mark: { type: 'rule' },
      encoding: {
        x,
        y: { field: 'low', type: 'quantitative' },
        y2: { field: 'high' },
        color: series('measured'),
      },
    },
    {
      data: { values: measured },
      mark: { type: 'point', filled: true, size: 60, opacity: 1 },
      encoding: { x, y, color: series('measured') },
    },
  ]
  if (curve.length > 0)
    layers.unshift({
      data: { values: curve },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x,
        y: { field: 'model', type: 'quantitative', title: 'req/s' },
        color: series('USL model'),
      },
    })
  if (showTarget) layers.push(...ruleLayers(target, `target ${formatInteger(target)} req/s`, '#c0392b'))
  const parts = ['measured req/s (median over trials, bar: ±CV)']
  if (fit) parts.push(`the fitted USL curve (σ ${fit.sigma.toPrecision(3)}, κ ${fit.kappa.toPrecision(3)})`)
  if (target !== undefined && !showTarget)
    parts.push(`the target of ${formatInteger(target)} req/s lies far above one machine and is not drawn`)
  return {
    name: `scaling:${scaling.stack}`,
    title: `Throughput against ${scaling.parameter} — ${scaling.stack}`,
    caption: `${parts.join('; ')}.`,
    spec: { ...chartSize, layer: layers },
  }
}

function proxyCostChart(capacity: CapacityResult): ReportChart | undefined {
  const pairs = pairProxySearches(capacity.searches)
  if (pairs.length === 0) return undefined
  const seen = new Set<string>()
  const values = pairs.flatMap(({ direct, proxied }) =>
    [direct, proxied].flatMap((s) => {
      if (seen.has(s.stack)) return []
      seen.add(s.stack)
      return [{ app: direct.stack, via: s.topology.proxy ?? 'direct', stack: s.stack, reqPerSec: s.maxRate }]
    }),
  )
  return {
    name: 'proxy-cost',
    title: 'Proxy cost: max sustainable req/s',
    caption: 'Highest req/s within the SLO, each direct stack beside the same app behind a proxy.',
    spec: {
      ...chartSize,
      data: { values },
      encoding: {
        x: { field: 'app', type: 'nominal', title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'via' },
        y: { field: 'reqPerSec', type: 'quantitative', title: 'max req/s within the SLO' },
        color: { field: 'via', type: 'nominal', title: 'served' },
      },
      layer: [
        { mark: { type: 'bar' } },
        {
          mark: { type: 'text', baseline: 'bottom', dy: -2 },
          encoding: { text: { field: 'reqPerSec', type: 'quantitative', format: ',.0f' } },
        },
      ],
    },
  }
}

/** The capacity section as charts: latency against offered rate, throughput against workers, proxy cost. */
export function capacityCharts(results: ResultSet): ReportChart[] {
  const capacity = results.capacity
  if (!capacity) return []
  const charts = [
    latencyChart(capacity),
    ...capacity.scaling.map((s) => scalingChart(s, capacity.target)),
    proxyCostChart(capacity),
  ]
  return charts.filter((c) => c !== undefined)
}
