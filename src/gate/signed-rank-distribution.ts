/** Below this many nonzero differences (and without ties), the exact distribution of V, as R's wilcox.test. */
export const exactSignedRankLimit = 50

/**
 * How many of the 2ⁿ sign patterns of ranks 1…n give each signed-rank sum V = 0 … n(n+1)/2: the subsets of
 * {1…n} by their sum, counted by adding one rank at a time. Exact in doubles below n = 50 (2⁴⁹ < 2⁵³).
 */
export function signedRankDistribution(n: number): number[] {
  const known = computed.get(n)
  if (known) return known
  const top = (n * (n + 1)) / 2
  const counts = new Array<number>(top + 1).fill(0)
  counts[0] = 1
  for (let rank = 1; rank <= n; rank++) {
    for (let v = (rank * (rank + 1)) / 2; v >= rank; v--)
      counts[v] = (counts[v] ?? 0) + (counts[v - rank] ?? 0)
  }
  computed.set(n, counts)
  return counts
}

/** Distributions already counted, by n: a gate asks for the same few again and again. */
const computed = new Map<number, number[]>()
