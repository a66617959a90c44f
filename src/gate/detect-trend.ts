import { sampleRankCorrelation } from '../stats/simple-statistics.js'

/**
 * Trials needed before a monotone drift can be told from chance: with 5, |ρ| ≥ 0.9 happens by chance 8 % of
 * the time (10 of 120 orders); with 8, about 0.1 %.
 */
const trendMinTrials = 8
/** |Spearman ρ| between trial order and value past which the values drift. */
const trendRho = 0.9

/**
 * Spearman's rank correlation of the values with their trial order: a machine that warms up, throttles or gets
 * busier makes successive trials drift, and medians of drifting values compare nothing. Undefined if too few.
 */
export function detectTrend(values: readonly number[]): number | undefined {
  if (values.length < trendMinTrials) return undefined
  const order = values.map((_, i) => i)
  const rho = sampleRankCorrelation(order, [...values])
  return Math.abs(rho) >= trendRho ? rho : undefined
}
