import type { ChangeRatio } from './gate-result-schema.js'
import { signedRankShift } from './signed-rank-shift.js'

/** A zero (a trial that served nothing) has no logarithm: it counts as this, a change of 10⁻¹²-fold or more. */
const floor = 1e-12

/**
 * The change of the candidate against the baseline from trials paired by time (pair i: the candidate trial and the
 * baseline trial next to it, A B B A …): the signed-rank Hodges–Lehmann centre of the per-pair log-ratios
 * log(cᵢ / bᵢ) with its interval, as a ratio. Noise shared by a pair's two trials (a slow minute slows both)
 * cancels in its ratio, which two independent groups (changeRatio) cannot use.
 */
export function pairedChangeRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  level: number,
): ChangeRatio {
  if (baseline.length !== candidate.length)
    throw new Error(
      `pairedChangeRatio needs pairs (${baseline.length} baseline, ${candidate.length} candidate)`,
    )
  const log = (v: number) => Math.log(Math.max(v, floor))
  const shift = signedRankShift(
    candidate.map((c, i) => log(c) - log(baseline[i] as number)),
    level,
  )
  return {
    ratio: Math.exp(shift.estimate),
    low: shift.low === null ? null : Math.exp(shift.low),
    high: shift.high === null ? null : Math.exp(shift.high),
    level,
    confidence: shift.confidence,
    method: shift.method,
  }
}
