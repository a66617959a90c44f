import type { Slo } from '../profile/schema.js'
import { validityLimits } from '../stats/judge-cell.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import type { SearchStep } from './capacity-result-schema.js'

const percentiles = ['p50', 'p90', 'p99', 'p999'] as const
/** A latency failure is the generator's when its own send lag (p99) exceeds this share of the broken limit. */
const lagShare = 0.25
const label = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' } as const
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`

/**
 * One measured open-loop step against the SLO. fail: an objective broken, fewer than 95 % of the offered
 * requests answered, or the stack failed. suspect: the generator, not the stack, decided the outcome — it was
 * busy (event loop ≥ 90 %), or a latency objective broke while the generator's own send lag (p99) was over a
 * quarter of that limit and the latency less that lag within it (a breach far past what the lag explains, or a
 * backlog of unanswered requests, is the stack's). Neither counts as a pass; a search that ends on a suspect step is generator-bound.
 */
export function judgeSearchStep(cell: CellRecord, slo: Slo): Pick<SearchStep, 'outcome' | 'reasons'> {
  const stats = cell.stats
  if (cell.status === 'failed' || !stats?.open) {
    return { outcome: 'fail', reasons: cell.failures.map((f) => f.message).slice(0, 1) }
  }
  const reasons: string[] = []
  const lag = stats.open.sendLag.p99 ?? 0 // nothing sent: no lateness
  let lagBound = false
  for (const p of percentiles) {
    const limit = slo[p]
    const value = stats.open.corrected[p]
    if (limit === undefined || (value !== null && value <= limit)) continue
    if (value === null) {
      reasons.push(`${label[p]} not measured: no request was answered`) // no latency within any limit
      continue
    }
    reasons.push(`${label[p]} ${ms(value)} > ${ms(limit)}`)
    // the generator's lateness explains the breach only if the latency less that lateness is within the limit
    if (lag > Math.max(validityLimits.sendLagP99Ms, lagShare * limit) && value - lag <= limit) lagBound = true
  }
  const share = stats.open.targetRate > 0 ? stats.reqPerSec / stats.open.targetRate : 1
  // nothing is dropped, so a shortfall is a backlog the stack built: its own, unless the generator was busy
  const busy = (stats.generator?.eventLoopUtilization ?? 0) >= validityLimits.generatorBusy
  if (lagBound && (share >= validityLimits.achievedShare || busy)) {
    // the latency over the SLO is largely the generator's own lateness: not a measure of the stack either way
    reasons.push(`the generator itself sent late (send lag p99 ${ms(lag)})`)
    return { outcome: 'suspect', reasons }
  }
  if (slo.errorRate !== undefined && stats.errorPercent > slo.errorRate) {
    reasons.push(`errors ${stats.errorPercent.toPrecision(2)} % > ${slo.errorRate} %`)
  }
  if (share < validityLimits.achievedShare) {
    reasons.push(`achieved ${Math.round(share * 100)} % of the offered rate`)
  }
  if (reasons.length) return { outcome: 'fail', reasons }
  const generator = stats.generator
  if (generator && generator.eventLoopUtilization >= validityLimits.generatorBusy) {
    reasons.push(`generator busy ${Math.round(generator.eventLoopUtilization * 100)} % of the time`)
  }
  const outcome = reasons.length ? 'suspect' : 'pass'
  // A late send is not a reason to doubt a pass: latency runs from the intended send time, so the lateness is
  // inside the latency judged, and the late requests go out in a burst — a harder load, not an easier one.
  if (lag > validityLimits.sendLagP99Ms) {
    reasons.push(`generator sent late (send lag p99 ${ms(lag)}), counted in the latency`)
  }
  return { outcome, reasons }
}
