/** Both samples at most this large (and no ties): the exact distribution of U, else the normal approximation. */
export const exactLimit = 25

/**
 * How many of the C(m+n, m) arrangements of two untied samples of sizes m and n give each U = 0 … m·n, from
 * f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u): the largest value belongs to one sample or the other. Exact in
 * doubles up to 25 against 25 (C(50, 25) ≈ 1.3e14 < 2^53).
 */
export function uDistribution(m: number, n: number): number[] {
  const key = `${m}×${n}`
  const known = computed.get(key)
  if (known) return known
  const counts = count(m, n)
  computed.set(key, counts)
  return counts
}

/** Distributions already counted, by sizes: a gate asks for the same few again and again. */
const computed = new Map<string, number[]>()

function count(m: number, n: number): number[] {
  // previous[j] = counts for sizes (i − 1, j); current[j] = counts for sizes (i, j)
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1])
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]]
    for (let j = 1; j <= n; j++) {
      const counts = new Array<number>(i * j + 1).fill(0)
      const withoutLast = current[j - 1] ?? [] // (i, j−1): the largest value is the second sample's
      const lastIsFirst = previous[j] ?? [] // (i−1, j): the largest value is the first sample's, beating all j
      withoutLast.forEach((count, u) => {
        counts[u] = (counts[u] ?? 0) + count
      })
      lastIsFirst.forEach((count, u) => {
        counts[u + j] = (counts[u + j] ?? 0) + count
      })
      current.push(counts)
    }
    previous = current
  }
  return previous[n] ?? [1]
}

/** The standard deviation of U under the null, corrected for the tie groups of the combined sample. */
export function uStandardDeviation(m: number, n: number, ties: readonly number[]): number {
  const size = m + n
  const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0) / (size * (size - 1))
  return Math.sqrt(((m * n) / 12) * (size + 1 - tieTerm))
}
