/** Midranks of |d| (1-based, ties sharing their mean rank), in d's order. */
export function absoluteRanks(d: readonly number[]): number[] {
  const order = d.map((v, i) => ({ a: Math.abs(v), i })).sort((x, y) => x.a - y.a)
  const ranks = new Array<number>(d.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j < order.length && order[j]?.a === order[i]?.a) j++
    for (let k = i; k < j; k++) ranks[(order[k] as { i: number }).i] = (i + 1 + j) / 2
    i = j
  }
  return ranks
}

/** Sizes of the groups of tied |d| (two or more). */
export function tieSizes(ranks: readonly number[]): number[] {
  const counts = new Map<number, number>()
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1)
  return [...counts.values()].filter((c) => c > 1)
}

/**
 * The signed-rank statistic of d − shift as a standard normal deviate, zeros dropped, the variance corrected for
 * ties and (when `correct`) a continuity correction of ½ towards zero: R's wilcox.test, one sample, asymptotic.
 */
export function signedRankZ(d: readonly number[], shift: number, correct: boolean): number {
  const xd = d.map((v) => v - shift).filter((v) => v !== 0)
  const n = xd.length
  if (n === 0) return 0
  const ranks = absoluteRanks(xd)
  const v = ranks.reduce((sum, r, i) => sum + ((xd[i] as number) > 0 ? r : 0), 0)
  const z = v - (n * (n + 1)) / 4
  const ties = tieSizes(ranks).reduce((sum, t) => sum + t ** 3 - t, 0)
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - ties / 48)
  if (sigma === 0) return 0
  return (z - (correct ? Math.sign(z) * 0.5 : 0)) / sigma
}
