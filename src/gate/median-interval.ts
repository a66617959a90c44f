/** P(X ≤ k) for X ~ Binomial(n, ½). */
function binomialHalfCdf(k: number, n: number): number {
  let term = 0.5 ** n
  let sum = k >= 0 ? term : 0
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i
    sum += term
  }
  return sum
}

export interface MedianInterval {
  low: number
  high: number
  /** The interval's actual confidence: ≥ 0.95, or less when there are too few values (then min … max). */
  confidence: number
}

/**
 * A distribution-free confidence interval for the median from order statistics: [x(k), x(n−k+1)] with the
 * largest k whose coverage 1 − 2·P(Binomial(n, ½) ≤ k − 1) is still at least 95 %.
 */
export function medianInterval(values: readonly number[]): MedianInterval {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) throw new Error('medianInterval needs values')
  let k = 1
  while (k + 1 <= n / 2 && 1 - 2 * binomialHalfCdf(k, n) >= 0.95) k++
  return {
    low: sorted[k - 1] as number,
    high: sorted[n - k] as number,
    confidence: 1 - 2 * binomialHalfCdf(k - 1, n),
  }
}
