// Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9). simple-statistics'
// probit is off in the third digit (1.9572 for 0.975, not 1.9600): too coarse for an interval's order statistic.
// (A Halley step would need an erf more accurate than simple-statistics' 1e-8.)
const a = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
]
const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
const c = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
]
const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
const low = 0.02425

const at = (coefficients: readonly number[], i: number) => coefficients[i] as number

function acklam(p: number): number {
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((at(c, 0) * q + at(c, 1)) * q + at(c, 2)) * q + at(c, 3)) * q + at(c, 4)) * q + at(c, 5)) /
      ((((at(d, 0) * q + at(d, 1)) * q + at(d, 2)) * q + at(d, 3)) * q + 1)
    )
  }
  if (p > 1 - low) return -acklam(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((at(a, 0) * r + at(a, 1)) * r + at(a, 2)) * r + at(a, 3)) * r + at(a, 4)) * r + at(a, 5)) * q) /
    (((((at(b, 0) * r + at(b, 1)) * r + at(b, 2)) * r + at(b, 3)) * r + at(b, 4)) * r + 1)
  )
}

/** The standard normal quantile: z with Φ(z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile needs 0 < p < 1 (got ${p})`)
  return acklam(p)
}
