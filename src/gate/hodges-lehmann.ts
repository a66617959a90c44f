import { normalQuantile } from './normal-quantile.js'
import { tieGroups } from './tie-groups.js'
import { exactLimit, uDistribution, uStandardDeviation } from './u-distribution.js'

export interface ShiftEstimate {
  /** The Hodges–Lehmann estimate of the shift of x against y: the median of the m·n differences xᵢ − yⱼ. */
  estimate: number
  /** The interval [D(k), D(mn + 1 − k)] of the sorted differences; null when no k reaches the level. */
  low: number | null
  high: number | null
  /** The interval's coverage: exact, 1 − 2·P(U ≤ k − 1) (at least the level); normal, the level asked. */
  confidence: number
  /** exact: U's exact distribution (no ties, both samples ≤ 25); normal: Moses' normal approximation. */
  method: 'exact' | 'normal'
}

/** k of the exact interval: the smallest q with P(U ≤ q) ≥ α/2 (R's qwilcox), or 0 when even q = 0 exceeds it. */
function exactK(m: number, n: number, alpha: number): { k: number; confidence: number } {
  const counts = uDistribution(m, n)
  const total = counts.reduce((s, c) => s + c, 0)
  let below = 0 // P(U ≤ q − 1)
  for (let q = 0; q < counts.length; q++) {
    const atMost = below + (counts[q] ?? 0) / total
    if (atMost >= alpha / 2) return q === 0 ? { k: 0, confidence: 0 } : { k: q, confidence: 1 - 2 * below }
    below = atMost
  }
  return { k: 0, confidence: 0 }
}

/**
 * The Hodges–Lehmann shift estimate of x against y with its distribution-free confidence interval (Hollander &
 * Wolfe, Nonparametric Statistical Methods, §4.2–4.3): the differences xᵢ − yⱼ sorted, the estimate their median,
 * the interval the k-th from each end. k comes from the Mann–Whitney U distribution: exact when there are no ties
 * and both samples have at most 25 values, as R's wilcox.test(x, y, conf.int = TRUE) does; otherwise Moses'
 * normal approximation, k = ⌊mn/2 − z·σ_U⌋ with σ_U corrected for ties, as SAS PROC NPAR1WAY does. The interval
 * assumes the two samples differ by a shift; with ties it is conservative.
 */
export function hodgesLehmann(
  x: readonly number[],
  y: readonly number[],
  level: number,
  method: 'auto' | 'exact' | 'normal' = 'auto',
): ShiftEstimate {
  const m = x.length
  const n = y.length
  if (m === 0 || n === 0) throw new Error('hodgesLehmann needs two non-empty samples')
  if (!(level > 0 && level < 1)) throw new Error(`hodgesLehmann needs 0 < level < 1 (got ${level})`)
  const size = m * n
  const differences = new Float64Array(size) // a typed array sorts numerically, without a comparator
  x.forEach((xi, i) => {
    y.forEach((yj, j) => {
      differences[i * n + j] = xi - yj
    })
  })
  differences.sort()
  const at = (rank: number) => differences[rank - 1] as number // 1-based order statistic
  const estimate = size % 2 === 1 ? at((size + 1) / 2) : (at(size / 2) + at(size / 2 + 1)) / 2
  const alpha = 1 - level
  const ties = tieGroups([...x, ...y])
  const exact =
    method === 'exact' || (method === 'auto' && ties.length === 0 && m <= exactLimit && n <= exactLimit)
  const { k, confidence } = exact
    ? exactK(m, n, alpha)
    : {
        k: Math.floor((m * n) / 2 - normalQuantile(1 - alpha / 2) * uStandardDeviation(m, n, ties)),
        confidence: level,
      }
  const reachable = k >= 1
  return {
    estimate,
    low: reachable ? at(k) : null,
    high: reachable ? at(size + 1 - k) : null,
    confidence: reachable ? confidence : 0,
    method: exact ? 'exact' : 'normal',
  }
}
