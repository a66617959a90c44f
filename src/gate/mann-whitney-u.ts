import { errorFunction, wilcoxonRankSum } from 'simple-statistics'

export interface MannWhitneyResult {
  /** U of the first sample: how often one of its values exceeds one of the second's (ties count ½). */
  u: number
  /** Two-sided p-value. */
  p: number
  /** Exact distribution (no ties, both samples ≤ 25), else the normal approximation. */
  exact: boolean
}

const exactLimit = 25

/** Number of arrangements giving each U, for samples of sizes m and n (no ties): f(m,n,u) = f(m−1,n,u−n) + f(m,n−1,u). */
function exactCounts(m: number, n: number): number[] {
  // table[i][j] = counts for sizes (i, j), built up row by row
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1])
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]]
    for (let j = 1; j <= n; j++) {
      const counts = new Array<number>(i * j + 1).fill(0)
      const withoutLast = current[j - 1] ?? [] // (i, j−1): the largest value is the second sample's
      const lastIsFirst = previous[j] ?? [] // (i−1, j): the largest value is the first sample's, beating all j
      withoutLast.forEach((c, u) => {
        counts[u] = (counts[u] ?? 0) + c
      })
      lastIsFirst.forEach((c, u) => {
        counts[u + j] = (counts[u + j] ?? 0) + c
      })
      current.push(counts)
    }
    previous = current
  }
  return previous[n] ?? [1]
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
  const all = [...a, ...b].sort((x, y) => x - y)
  const tieGroups: number[] = []
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && all[j] === all[i]) j++
    if (j - i > 1) tieGroups.push(j - i)
    i = j
  }
  if (tieGroups.length === 0 && m <= exactLimit && n <= exactLimit) {
    const counts = exactCounts(m, n)
    const total = counts.reduce((s, c) => s + c, 0)
    const atMost = counts.slice(0, Math.floor(u) + 1).reduce((s, c) => s + c, 0) / total
    const atLeast = counts.slice(Math.ceil(u)).reduce((s, c) => s + c, 0) / total
    return { u, p: Math.min(1, 2 * Math.min(atMost, atLeast)), exact: true }
  }
  const size = m + n
  const tieTerm = tieGroups.reduce((s, t) => s + t ** 3 - t, 0) / (size * (size - 1))
  const sigma = Math.sqrt(((m * n) / 12) * (size + 1 - tieTerm))
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
