import { changeRatio } from './change-ratio.js'
import type { ChangeRatio } from './gate-result-schema.js'
import { mannWhitneyU } from './mann-whitney-u.js'
import { pairedChangeRatio } from './paired-change-ratio.js'
import { signedRankTest } from './signed-rank-test.js'

/** A zero (a trial that served nothing) has no logarithm: it counts as this. */
const floor = 1e-12

/**
 * Whether n pairs can reach this level at all: the smallest two-sided p of the exact signed-rank test is 2 ÷ 2ⁿ
 * (six pairs: 3.1 %), while two groups of n reach 2 ÷ C(2n, n) (six a side: 0.2 %).
 */
const pairsReachLevel = (n: number, level: number) => 2 / 2 ** n <= 1 - level + 1e-12

/**
 * The change of one metric of one cell, candidate ÷ baseline, with its interval and the p of no change. Trials
 * paired by time (A/B in one run) are judged from their per-pair log-ratios (signed-rank interval and test) once
 * there are pairs enough to reach the level; until then, and for a stored baseline, as two independent groups
 * (Hodges–Lehmann interval, Mann-Whitney U). The choice depends on the number of pairs and the level — and on
 * how many pairs read exactly the same (a p50 of the same histogram bucket on both sides), which the signed-rank
 * rule drops, and on whether their ties leave the level within the normal approximation's reach — never on the size
 * or sign of any change.
 */
export function cellChange(
  baseline: readonly number[],
  candidate: readonly number[],
  paired: boolean,
  level: number,
): { change: ChangeRatio; p: number } {
  const logRatios =
    paired && baseline.length === candidate.length
      ? candidate.map((c, i) => Math.log(Math.max(c, floor) / Math.max(baseline[i] as number, floor)))
      : []
  // pairs whose two trials read the same (a percentile from the same histogram bucket) carry no sign: the
  // signed-rank rule drops them, as R does, and the pairs left must still be enough to reach the level
  if (pairsReachLevel(logRatios.filter((d) => d !== 0).length, level)) {
    const change = pairedChangeRatio(baseline, candidate, level)
    // tied |differences| take the normal approximation, whose deviate cannot reach as far as the exact
    // distribution: 13 nonzero pairs of 20 reach 99.96 % exactly but only 99.8 % in the normal approximation
    // (a p50 where most pairs read the same bucket). Then the pairs cannot give the interval: two groups can.
    if (change.low !== null) return { change: { ...change, paired: true }, p: signedRankTest(logRatios).p }
  }
  return {
    change: { ...changeRatio(baseline, candidate, level), paired: false },
    p: mannWhitneyU(baseline, candidate).p,
  }
}
