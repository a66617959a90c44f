import { errorFunction } from '../stats/simple-statistics.js'
import { exactSignedRankLimit, signedRankDistribution } from './signed-rank-distribution.js'
import { absoluteRanks, signedRankZ, tieSizes } from './signed-rank-z.js'

/** The two-sided p of the Wilcoxon signed-rank test, and whether the exact distribution gave it. */
export interface SignedRankTest {
  p: number
  exact: boolean
}

/**
 * The two-sided Wilcoxon signed-rank test that the differences d are centred on 0, as R's
 * wilcox.test(x, y, paired = TRUE) gives it: zero differences dropped; exact (fewer than 50 left, no zeros, no
 * tied |d|) from the distribution of V, else the normal approximation with the tie and continuity corrections.
 */
export function signedRankTest(d: readonly number[]): SignedRankTest {
  if (d.length === 0) throw new Error('signedRankTest needs at least one difference')
  const nonzero = d.filter((v) => v !== 0)
  const n = nonzero.length
  if (n === 0) return { p: 1, exact: false }
  const ranks = absoluteRanks(nonzero)
  const exact = n === d.length && tieSizes(ranks).length === 0 && n < exactSignedRankLimit
  if (exact) {
    const v = ranks.reduce((sum, r, i) => sum + ((nonzero[i] as number) > 0 ? r : 0), 0)
    const counts = signedRankDistribution(n)
    const total = 2 ** n
    const cdf = (x: number) => counts.slice(0, Math.floor(x) + 1).reduce((s, c) => s + c, 0) / total
    // R: p = 2·P(V ≥ v) when v is above the middle, else 2·P(V ≤ v)
    const p = v > (n * (n + 1)) / 4 ? 1 - cdf(v - 1) : cdf(v)
    return { p: Math.min(1, 2 * p), exact: true }
  }
  const z = signedRankZ(nonzero, 0, true)
  return { p: Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2)), exact: false }
}
