import type {
  CapacityResult,
  CapacitySearch,
  ScalingResult,
  SearchStep,
} from '../capacity/capacity-result-schema.js'
import { uslThroughput } from '../capacity/fit-usl.js'
import type { ResultSet } from '../results/results-file-schema.js'
import { describeCpu } from './describe-cpu.js'
import { describeSlo } from './describe-slo.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'
import { pairProxySearches } from './pair-proxy-searches.js'
import type { ReportTable } from './report-table.js'

/** The stack's limit lies above the number shown: the search stopped at the profile's ceiling or the generator's. */
const lowerBound = new Set<CapacitySearch['status']>(['at-limit', 'generator-bound'])

/** "12,000", "≥ 24,000" (a lower bound) or "—" (no rate passed). */
function maxRate(search: CapacitySearch): string {
  if (search.maxRate === null) return '—'
  return `${lowerBound.has(search.status) ? '≥ ' : ''}${formatInteger(search.maxRate)}`
}

/** Three significant figures, in exponent form below 0.001: 0.0267, 7.69e-4, 996. */
function significant(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2)
  return Math.abs(value) >= 1000 ? formatInteger(value) : String(Number(value.toPrecision(3)))
}

const plusMinus = (value: number, error: number) => `${significant(value)} ± ${significant(error)}`
const signed = (value: number) => `${value > 0 ? '+' : ''}${formatInteger(value)}`
const atMaxMs = (search: CapacitySearch, key: 'p50' | 'p99' | 'p999') =>
  search.atMax ? formatMs(search.atMax.latency[key]) : ''

function capacityTable(capacity: CapacityResult): ReportTable {
  const target = capacity.target
  const head = [
    'stack',
    'status',
    'max req/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'errors %',
    'CPU, RSS by tier',
  ]
  head.push('knee (req/s @ p99)')
  if (target !== undefined) head.push('machines')
  const rows = capacity.searches.map((s) => {
    const row = [
      s.stack,
      s.status,
      maxRate(s),
      atMaxMs(s, 'p50'),
      atMaxMs(s, 'p99'),
      atMaxMs(s, 'p999'),
      s.atMax ? formatPercent(s.atMax.errorPercent) : '',
      s.atMax ? describeCpu(s.atMax) : '',
      s.knee ? `${formatInteger(s.knee.rate)} @ ${formatMs(s.knee.p99)} ms` : '',
    ]
    if (target !== undefined)
      row.push(s.machines === undefined ? '' : `${lowerBound.has(s.status) ? '≤ ' : ''}${s.machines}`)
    return row
  })
  const sizing =
    target === undefined
      ? ''
      : `; machines for ${formatInteger(target)} req/s at ${Math.round(capacity.headroom * 100)} % of capacity`
  const notes = capacity.searches.flatMap((s) => (s.note ? [`${s.stack}: ${s.note}`] : []))
  if (capacity.searches.some((s) => lowerBound.has(s.status)))
    notes.push('≥: the search stopped before the stack failed the SLO, so its limit lies higher')
  notes.push('latency is corrected for coordinated omission (from each intended send), at the max rate')
  return {
    title: `Capacity — highest req/s within the SLO (${describeSlo(capacity.slo)}), found to ${capacity.precision} %${sizing}`,
    head,
    rows,
    notes,
  }
}

function proxyCostTable(capacity: CapacityResult): ReportTable | undefined {
  const pairs = pairProxySearches(capacity.searches)
  if (pairs.length === 0) return undefined
  const rows = pairs.map(({ direct, proxied }) => {
    const cost = 1 - (proxied.maxRate ?? 0) / (direct.maxRate ?? 1)
    return [
      direct.stack,
      proxied.stack,
      maxRate(direct),
      maxRate(proxied),
      (cost * 100).toFixed(1),
      atMaxMs(direct, 'p50'),
      atMaxMs(proxied, 'p50'),
    ]
  })
  const notes = ['cost = 1 − proxied ÷ direct max req/s; same app and workers, one instance']
  if (pairs.some((p) => lowerBound.has(p.direct.status) || lowerBound.has(p.proxied.status)))
    notes.push('a ≥ rate is a lower bound, so the cost beside it is uncertain')
  return {
    title: 'Proxy cost — max sustainable req/s with and without the proxy',
    head: ['direct', 'proxied', 'direct req/s', 'proxied req/s', 'cost %', 'p50 ms direct', 'p50 ms proxied'],
    rows,
    notes,
  }
}

function scalingTable(scaling: ScalingResult): ReportTable {
  const fit = scaling.fit
  const rows = scaling.points.map((p) => [
    String(p.n),
    p.reqPerSec === null
      ? 'FAILED'
      : `${formatInteger(p.reqPerSec)}${p.reqPerSecCv > 0 ? ` ±${formatPercent(p.reqPerSecCv * 100)}%` : ''}`,
    p.marginal === null ? '' : signed(p.marginal),
    fit ? formatInteger(uslThroughput(fit, p.n)) : '',
  ])
  const what = scaling.parameter === 'workers' ? 'Worker' : 'Instance'
  return {
    title: `${what} scaling — ${scaling.stack}`,
    head: [scaling.parameter, 'measured req/s (±CV)', `marginal req/s`, 'USL model req/s'],
    rows,
    notes: [`marginal: req/s gained per added ${scaling.parameter === 'workers' ? 'worker' : 'instance'}`],
  }
}

function uslTable(scalings: readonly ScalingResult[]): ReportTable {
  const rows = scalings.map((s) => {
    const fit = s.fit
    const recommended = s.recommended
      ? `${s.recommended.n} × ${s.recommended.machines} machine${s.recommended.machines === 1 ? '' : 's'}`
      : ''
    const efficient = s.efficientN === null ? '' : String(s.efficientN)
    if (!fit) return [s.stack, 'no fit', '', '', '', '', '', efficient, recommended]
    const e = fit.standardErrors
    return [
      s.stack,
      plusMinus(fit.sigma, e.sigma),
      plusMinus(fit.kappa, e.kappa),
      plusMinus(fit.lambda, e.lambda),
      fit.rSquared.toFixed(3),
      fit.peakN === null ? 'none' : fit.peakN.toFixed(1),
      fit.peakX === null ? '' : formatInteger(fit.peakX),
      efficient,
      recommended,
    ]
  })
  const notes = scalings.flatMap((s) => [
    ...(s.recommended ? [`${s.stack}: ${s.recommended.reason}`] : []),
    ...s.warnings.map((w) => `${s.stack}: warning: ${w}`),
  ])
  notes.push('X(N) = λN / (1 + σ(N−1) + κN(N−1)); N* = √((1−σ)/κ), the count of peak throughput')
  return {
    title: 'USL fit — contention σ, coherency κ, one-worker throughput λ (± standard error)',
    head: ['stack', 'σ', 'κ', 'λ req/s', 'R²', 'N*', 'X(N*) req/s', 'efficient N', 'recommended N'],
    rows,
    notes,
  }
}

function stepRow(step: SearchStep): string[] {
  return [
    formatInteger(step.rate),
    step.kind,
    step.outcome,
    formatInteger(step.achieved),
    formatMs(step.latency.p50),
    formatMs(step.latency.p99),
    formatPercent(step.errorPercent),
    step.reasons.join('; '),
  ]
}

function stepsTable(search: CapacitySearch): ReportTable {
  return {
    title: `Search steps — ${search.stack} (${search.status})`,
    head: ['offered req/s', 'kind', 'outcome', 'achieved req/s', 'p50 ms', 'p99 ms', 'errors %', 'reasons'],
    rows: search.steps.map(stepRow),
  }
}

/**
 * The capacity section as tables, for the terminal, Markdown and HTML alike: the capacity per stack, the proxy
 * cost, the worker scaling and its USL fit, then every step of every search. Tables without data are left out.
 */
export function capacityTables(results: ResultSet): ReportTable[] {
  const capacity = results.capacity
  if (!capacity) return []
  const tables: (ReportTable | undefined)[] = [
    capacity.searches.length > 0 ? capacityTable(capacity) : undefined,
    proxyCostTable(capacity),
    ...capacity.scaling.map(scalingTable),
    capacity.scaling.length > 0 ? uslTable(capacity.scaling) : undefined,
    ...capacity.searches.filter((s) => s.steps.length > 0).map(stepsTable),
  ]
  return tables.filter((t) => t !== undefined)
}
