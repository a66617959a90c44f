/** ln Γ(x) for x > 0: Lanczos' approximation (g = 7, 9 terms), good to about 1e-15. */
function logGamma(x: number): number {
  const g = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let sum = g[0] as number
  for (let i = 1; i < g.length; i++) sum += (g[i] as number) / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** The continued fraction of the incomplete beta function, by Lentz's method (Numerical Recipes' betacf). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v)
  let c = 1
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1))
  let h = d
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
    d = 1 / guard(1 + even * d)
    c = guard(1 + even / c)
    h *= d * c
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 / guard(1 + odd * d)
    c = guard(1 + odd / c)
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < 1e-15) break
  }
  return h
}

/** The regularized incomplete beta function I_x(a, b). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b
}

export interface TTestResult {
  meanBefore: number
  meanAfter: number
  /** Sample standard deviations (0 for a side of one value). */
  sdBefore: number
  sdAfter: number
  t: number
  degreesOfFreedom: number
  /** Two-sided p-value; 1 when there are too few values (fewer than 3 in all) to tell. */
  p: number
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length
const sampleVariance = (values: readonly number[], m: number) =>
  values.length < 2 ? 0 : values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)

/**
 * Student's two-sample t-test with pooled variance, two-sided: the significance test Hunter (Fleming et al.,
 * ICPE 2023) puts in place of E-divisive's permutation test, deterministic and fast. A side may hold one value;
 * the test needs three in all.
 */
export function studentTTest(before: readonly number[], after: readonly number[]): TTestResult {
  if (before.length === 0 || after.length === 0) throw new Error('studentTTest needs two non-empty samples')
  const m1 = mean(before)
  const m2 = mean(after)
  const v1 = sampleVariance(before, m1)
  const v2 = sampleVariance(after, m2)
  const df = before.length + after.length - 2
  const base = {
    meanBefore: m1,
    meanAfter: m2,
    sdBefore: Math.sqrt(v1),
    sdAfter: Math.sqrt(v2),
    degreesOfFreedom: df,
  }
  if (df <= 0) return { ...base, t: 0, p: 1 }
  const pooled = ((before.length - 1) * v1 + (after.length - 1) * v2) / df
  const se = Math.sqrt(pooled * (1 / before.length + 1 / after.length))
  if (se === 0) return { ...base, t: m1 === m2 ? 0 : Math.sign(m2 - m1) * Infinity, p: m1 === m2 ? 1 : 0 }
  const t = (m2 - m1) / se
  return { ...base, t, p: Math.min(1, regularizedBeta(df / (df + t * t), df / 2, 0.5)) }
}
