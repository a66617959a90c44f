import { errorFunction, wilcoxonRankSum } from '../stats/simple-statistics.js'
import { tieGroups } from './tie-groups.js'
import { exactLimit, uDistribution, uStandardDeviation } from './u-distribution.js'

export interface MannWhitneyResult {
  /** U of the first sample: how often one of its values exceeds one of the second's (ties count ½). */
  u: number
  /** Two-sided p-value. */
  p: number
  /** Exact distribution (no ties, both samples ≤ 25), else the normal approximation. */
  exact: boolean
}

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2))
}

/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test. simple-statistics gives only the rank sum, so U and p are
 * computed here: exactly when there are no ties and both samples are small, else by the normal approximation
 * with tie and continuity corrections.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const m = a.length
  const n = b.length
  if (m === 0 || n === 0) throw new Error('mannWhitneyU needs two non-empty samples')
  const u = wilcoxonRankSum([...a], [...b]) - (m * (m + 1)) / 2
  const ties = tieGroups([...a, ...b])
  if (ties.length === 0 && m <= exactLimit && n <= exactLimit) {
    const counts = uDistribution(m, n)
    const total = counts.reduce((s, c) => s + c, 0)
    const atMost = counts.slice(0, Math.floor(u) + 1).reduce((s, c) => s + c, 0) / total
    const atLeast = counts.slice(Math.ceil(u)).reduce((s, c) => s + c, 0) / total
    return { u, p: Math.min(1, 2 * Math.min(atMost, atLeast)), exact: true }
  }
  const sigma = uStandardDeviation(m, n, ties)
  if (sigma === 0) return { u, p: 1, exact: false }
  const z = Math.max(0, Math.abs(u - (m * n) / 2) - 0.5) / sigma
  return { u, p: Math.min(1, 2 * (1 - normalCdf(z))), exact: false }
}

/** The smallest two-sided p an exact test can reach with these sample sizes: 2 / C(m+n, m). */
export function smallestPossibleP(m: number, n: number): number {
  let combinations = 1
  for (let i = 1; i <= m; i++) combinations = (combinations * (n + i)) / i
  return Math.min(1, 2 / combinations)
}
