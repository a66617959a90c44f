import type { ShiftEstimate } from './hodges-lehmann.js'
import { normalQuantile } from './normal-quantile.js'
import { exactSignedRankLimit, signedRankDistribution } from './signed-rank-distribution.js'
import { absoluteRanks, signedRankZ, tieSizes } from './signed-rank-z.js'

/** The n(n+1)/2 Walsh averages (dᵢ + dⱼ)/2, i ≤ j, sorted. */
function walshAverages(d: readonly number[]): Float64Array {
  const n = d.length
  const averages = new Float64Array((n * (n + 1)) / 2)
  let at = 0
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) averages[at++] = ((d[i] as number) + (d[j] as number)) / 2
  return averages.sort() // a typed array sorts numerically
}

/**
 * The one-sample Hodges–Lehmann estimate of the centre of d (paired differences: the shift of the candidate
 * against its neighbouring baseline) with the Wilcoxon signed-rank confidence interval (Hollander & Wolfe,
 * Nonparametric Statistical Methods, §3.2–3.3), as R's wilcox.test(x, y, paired = TRUE, conf.int = TRUE) gives it
 * (zero differences dropped first, as R does):
 * - exact (fewer than 50 nonzero differences, no zeros, no tied |d|): the Walsh averages sorted, the estimate their
 *   median, the interval [W(q), W(N − q + 1)] with q R's qsignrank(α/2, n), its coverage 1 − 2·P(V ≤ q − 1);
 * - normal otherwise: the interval's ends are where the tie-corrected, continuity-corrected signed-rank deviate of
 *   d − μ crosses ±z(1 − α/2) — R finds them with uniroot (tolerance 10⁻⁴), this finds the Walsh average where the
 *   step function crosses, exactly; the estimate is where the uncorrected deviate crosses 0.
 * The interval assumes the differences are symmetric about their centre.
 */
export function signedRankShift(
  d: readonly number[],
  level: number,
  method: 'auto' | 'exact' | 'normal' = 'auto',
): ShiftEstimate {
  if (d.length === 0) throw new Error('signedRankShift needs at least one difference')
  if (!(level > 0 && level < 1)) throw new Error(`signedRankShift needs 0 < level < 1 (got ${level})`)
  const nonzero = d.filter((v) => v !== 0) // R drops zero differences first, for the interval too
  if (nonzero.length === 0) return { estimate: 0, low: null, high: null, confidence: 0, method: 'normal' }
  const ties = tieSizes(absoluteRanks(nonzero)).length > 0
  const exact =
    method === 'exact' ||
    (method === 'auto' && nonzero.length === d.length && !ties && d.length < exactSignedRankLimit)
  const walsh = walshAverages(nonzero)
  const size = walsh.length
  const at = (rank: number) => walsh[rank - 1] as number // 1-based order statistic
  const median = size % 2 === 1 ? at((size + 1) / 2) : (at(size / 2) + at(size / 2 + 1)) / 2
  const alpha = 1 - level
  if (exact) {
    const n = nonzero.length
    const counts = signedRankDistribution(n)
    const total = 2 ** n
    let below = 0 // P(V ≤ q − 1)
    let q = 0
    for (; q < counts.length; q++) {
      const atMost = below + (counts[q] ?? 0) / total
      if (atMost >= alpha / 2 - 10 * Number.EPSILON) break
      below = atMost
    }
    if (q === 0) q = 1 // R: even the widest interval [min, max] falls short of the level; its coverage says so
    const achieved =
      (2 *
        signedRankDistribution(n)
          .slice(0, q)
          .reduce((s, c) => s + c, 0)) /
      total
    return { estimate: median, low: at(q), high: at(size - q + 1), confidence: 1 - achieved, method: 'exact' }
  }
  const zq = normalQuantile(1 - alpha / 2)
  // the deviate falls (weakly) as μ rises and changes only at Walsh averages: probe each one and the gaps between
  const probes: number[] = [(walsh[0] as number) - 1]
  for (const [i, w] of walsh.entries())
    probes.push(w, i + 1 < size ? (w + (walsh[i + 1] as number)) / 2 : w + 1)
  const z = (correct: boolean) => probes.map((mu) => signedRankZ(nonzero, mu, correct))
  const corrected = z(true)
  // the first probe below the target (R's uniroot converges on the step where the deviate falls past it)
  const crossing = (target: number): number | null => {
    if ((corrected[0] as number) < target) return null
    const i = corrected.findIndex((v) => v < target)
    return i < 0 ? null : (probes[i % 2 === 1 ? i : i - 1] as number)
  }
  // the estimate: where the uncorrected deviate is 0 — the middle of that stretch when it is 0 along a stretch
  const plain = z(false)
  const first = plain.findIndex((v) => v <= 0)
  let last = plain.length - 1
  while (last >= 0 && (plain[last] as number) < 0) last--
  const estimate =
    first < 0 || last < 0
      ? median
      : ((probes[first % 2 === 1 ? first : first - 1] as number) +
          (probes[last % 2 === 1 ? last : last + 1] as number)) /
        2
  const low = crossing(zq)
  const high = crossing(-zq)
  const reachable = low !== null && high !== null && low < high
  return {
    estimate,
    low: reachable ? low : null,
    high: reachable ? high : null,
    confidence: reachable ? level : 0,
    method: 'normal',
  }
}
