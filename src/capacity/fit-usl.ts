import { levenbergMarquardt } from 'ml-levenberg-marquardt'

/** Throughput X measured at concurrency (or worker count) N. */
export interface ScalingPoint {
  n: number
  x: number
}

export interface UslFit {
  /** Throughput of one worker with no contention or coherency cost. */
  lambda: number
  /** Contention (serial fraction). */
  sigma: number
  /** Coherency (crosstalk) cost. */
  kappa: number
  standardErrors: { lambda: number; sigma: number; kappa: number }
  /** Coefficient of determination of the fit on the measured points. */
  rSquared: number
  /** Concurrency of peak throughput, N* = √((1 − σ) / κ) (Infinity when κ = 0). */
  peakN: number
  /** Predicted throughput at N*. */
  peakX: number
}

/** The Universal Scalability Law: X(N) = λN / (1 + σ(N − 1) + κN(N − 1)). */
export function uslThroughput(fit: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>, n: number): number {
  return (fit.lambda * n) / (1 + fit.sigma * (n - 1) + fit.kappa * n * (n - 1))
}

/**
 * Gunther's linearisation, for a starting point: with C(N) = X(N)/λ, N/C − 1 = σ(N−1) + κN(N−1), i.e.
 * y = (σ + κ)·x + κ·x² with x = N − 1 — a quadratic through the origin, solved by least squares.
 */
function linearStart(points: readonly ScalingPoint[]): [number, number, number] {
  const one = points.find((p) => p.n === 1)
  const lambda = one?.x ?? Math.max(...points.map((p) => p.x / p.n))
  let sxx = 0
  let sxxx = 0
  let sx4 = 0
  let sxy = 0
  let sxxy = 0
  for (const p of points) {
    const x = p.n - 1
    const y = p.n / (p.x / lambda) - 1
    sxx += x * x
    sxxx += x ** 3
    sx4 += x ** 4
    sxy += x * y
    sxxy += x * x * y
  }
  const det = sxx * sx4 - sxxx * sxxx
  const a = det === 0 ? 0 : (sxy * sx4 - sxxx * sxxy) / det
  const b = det === 0 ? 0 : (sxx * sxxy - sxxx * sxy) / det
  return [lambda, Math.max(0, a - b), Math.max(0, b)]
}

/** The inverse of a symmetric 3×3 matrix (for the parameters' covariance). */
function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [
    [number, number, number],
    [number, number, number],
    [number, number, number],
  ]
  const A = e * i - f * h
  const B = -(d * i - f * g)
  const C = d * h - e * g
  const det = a * A + b * B + c * C
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ]
}

/**
 * Fits the USL to measured throughput by nonlinear least squares (Levenberg–Marquardt from ml-levenberg-marquardt,
 * with the analytical Jacobian, started from Gunther's linearisation). The parameters are fitted on scales near 1
 * (λ in units of the first guess, κ × 1000) so one step size suits all three.
 */
export function fitUsl(points: readonly ScalingPoint[]): UslFit {
  if (points.length < 3) throw new Error('fitUsl needs at least 3 points')
  const [lambda0, sigma0, kappa0] = linearStart(points)
  const scale = [lambda0, 1, 1e-3]
  const unscale = (p: number[]) => ({
    lambda: (p[0] ?? 0) * (scale[0] ?? 1),
    sigma: p[1] ?? 0,
    kappa: (p[2] ?? 0) * (scale[2] ?? 1),
  })
  const model = (p: number[]) => (n: number) => uslThroughput(unscale(p), n)
  const jacobian = (p: number[]) => (n: number) => {
    const { lambda, sigma, kappa } = unscale(p)
    const d = 1 + sigma * (n - 1) + kappa * n * (n - 1)
    const x = (lambda * n) / d
    return [(x / lambda) * (scale[0] ?? 1), (-x * (n - 1)) / d, ((-x * n * (n - 1)) / d) * (scale[2] ?? 1)]
  }
  const result = levenbergMarquardt({ x: points.map((p) => p.n), y: points.map((p) => p.x) }, model, {
    initialValues: [1, sigma0, kappa0 / (scale[2] ?? 1)],
    jacobianFunction: jacobian,
    minValues: [0, 0, 0],
    maxValues: [100, 1, 1e3],
    damping: 1e-3,
    maxIterations: 10_000,
    errorTolerance: 1e-12,
    improvementThreshold: 1e-6,
  })
  const fit = unscale(result.parameterValues)
  // standard errors from the Jacobian at the optimum: cov = s²·(JᵀJ)⁻¹, s² = SSR / (n − 3)
  const rows = points.map((p) => {
    const d = 1 + fit.sigma * (p.n - 1) + fit.kappa * p.n * (p.n - 1)
    const x = (fit.lambda * p.n) / d
    return [x / fit.lambda, (-x * (p.n - 1)) / d, (-x * p.n * (p.n - 1)) / d]
  })
  const jtj = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => rows.reduce((s, r) => s + (r[i] ?? 0) * (r[j] ?? 0), 0)),
  )
  const residuals = points.map((p) => p.x - uslThroughput(fit, p.n))
  const ssr = residuals.reduce((s, r) => s + r * r, 0)
  const mean = points.reduce((s, p) => s + p.x, 0) / points.length
  const sst = points.reduce((s, p) => s + (p.x - mean) ** 2, 0)
  const covariance = invert3(jtj).map((row) => row.map((v) => (v * ssr) / Math.max(1, points.length - 3)))
  const peakN = fit.kappa > 0 ? Math.sqrt((1 - fit.sigma) / fit.kappa) : Number.POSITIVE_INFINITY
  return {
    ...fit,
    standardErrors: {
      lambda: Math.sqrt(covariance[0]?.[0] ?? 0),
      sigma: Math.sqrt(covariance[1]?.[1] ?? 0),
      kappa: Math.sqrt(covariance[2]?.[2] ?? 0),
    },
    rSquared: sst === 0 ? 1 : 1 - ssr / sst,
    peakN,
    peakX: Number.isFinite(peakN) ? uslThroughput(fit, peakN) : fit.lambda / Math.max(fit.sigma, 1e-12),
  }
}
