import type { ChangeRatio } from './gate-result-schema.js'
import { hodgesLehmann } from './hodges-lehmann.js'

/** A zero (a trial that served nothing) has no logarithm: it counts as this, a change of 10⁻¹²-fold or more. */
const floor = 1e-12

/**
 * The change of the candidate against the baseline as a ratio with a distribution-free confidence interval:
 * the Hodges–Lehmann shift of log(candidate) against log(baseline). On the log scale a ×0.9 change is the same
 * shift at 1,000 req/s and at 10,000, which a plain difference is not; and the order statistics of the log
 * differences are the logs of the order statistics of the ratios cᵢ / bⱼ, so the interval is made of trial ratios.
 */
export function changeRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  level: number,
): ChangeRatio {
  const log = (v: number) => Math.log(Math.max(v, floor))
  const shift = hodgesLehmann(candidate.map(log), baseline.map(log), level)
  return {
    ratio: Math.exp(shift.estimate),
    low: shift.low === null ? null : Math.exp(shift.low),
    high: shift.high === null ? null : Math.exp(shift.high),
    level,
    confidence: shift.confidence,
    method: shift.method,
  }
}
