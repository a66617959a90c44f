export interface EnergySplit {
  /** The first point of the second part: the candidate change point. */
  index: number
  /** Q̂, the scaled energy distance between the two parts at their most different. */
  qhat: number
}

/**
 * E-divisive's candidate search (Matteson & James, "A Nonparametric Approach for Multiple Change Point Analysis
 * of Multivariate Data", 2014), for one series with exponent α = 1. For a stretch [start, end) it finds the
 * split τ and the end κ of the second part that maximise
 *
 *   Q̂(X, Y) = 2/(n+m)·Σ|xᵢ − yⱼ| − 2m/((n+m)(n−1))·Σᵢ<ₖ|xᵢ − xₖ| − 2n/((n+m)(m−1))·Σⱼ<ₖ|yⱼ − yₖ|
 *
 * over X = Z[start, τ) (n points) and Y = Z[τ, κ) (m points): the distance between the parts against the
 * distances within them. The distances are summed from a 2-D prefix sum, so one search costs O(length²).
 */
export function energySplitter(
  series: readonly number[],
): (start: number, end: number) => EnergySplit | undefined {
  const n = series.length
  // prefix[i][j] = Σ |Z[a] − Z[b]| over a < i, b < j
  const prefix = Array.from({ length: n + 1 }, () => new Float64Array(n + 1))
  for (let i = 0; i < n; i++) {
    const row = prefix[i + 1] as Float64Array
    const above = prefix[i] as Float64Array
    let sum = 0
    for (let j = 0; j < n; j++) {
      sum += Math.abs((series[i] as number) - (series[j] as number))
      row[j + 1] = (above[j + 1] as number) + sum
    }
  }
  const at = (i: number, j: number) => (prefix[i] as Float64Array)[j] as number
  const block = (r0: number, r1: number, c0: number, c1: number) =>
    at(r1, c1) - at(r0, c1) - at(r1, c0) + at(r0, c0)
  const within = (a: number, b: number) => block(a, b, a, b) / 2
  return (start, end) => {
    let best: EnergySplit | undefined
    for (let tau = start + 1; tau < end; tau++) {
      const left = tau - start
      const withinLeft = left > 1 ? within(start, tau) : 0
      for (let kappa = tau + 1; kappa <= end; kappa++) {
        const right = kappa - tau
        const size = left + right
        const qhat =
          (2 / size) * block(start, tau, tau, kappa) -
          (left > 1 ? ((2 * right) / (size * (left - 1))) * withinLeft : 0) -
          (right > 1 ? ((2 * left) / (size * (right - 1))) * within(tau, kappa) : 0)
        if (best === undefined || qhat > best.qhat) best = { index: tau, qhat }
      }
    }
    return best
  }
}
