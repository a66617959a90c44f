import type { ScalingResult, UslFitRecord } from './capacity-result-schema.js'
import { fitUsl, uslThroughput } from './fit-usl.js'

export interface ScalingInput {
  /** Worker (or instance) count → median req/s over trials (null: every trial failed) and its CV. */
  points: { n: number; reqPerSec: number | null; reqPerSecCv: number }[]
  /** req/s to serve, for the recommendation; with `headroom`, the share of capacity to plan on using. */
  target?: number | undefined
  headroom: number
}

/** Below this share of one worker's throughput, another worker is not worth its memory. */
const efficientGain = 0.05
/** The DESIGN's minimum for a USL fit worth reporting without a warning. */
const recommendedCounts = 6

function fitRecord(points: { n: number; x: number }[], warnings: string[]): UslFitRecord | null {
  if (points.length < 4) {
    warnings.push(
      `${points.length} measured counts cannot fit the USL's three parameters with any check on the fit: measure at least ${recommendedCounts}`,
    )
    return null
  }
  const fit = fitUsl(points)
  const errors = Object.values(fit.standardErrors)
  if (!errors.every(Number.isFinite) || !Number.isFinite(fit.rSquared)) {
    warnings.push(
      'the measured counts do not determine the USL parameters (singular fit): measure more counts',
    )
    return null
  }
  const peak = Number.isFinite(fit.peakN)
  return { ...fit, peakN: peak ? fit.peakN : null, peakX: peak ? fit.peakX : null }
}

/** The fit's caveats: too few counts, a poor fit, parameters the data leave open, a peak far outside the data. */
function fitWarnings(fit: UslFitRecord, measured: number[], warnings: string[]): void {
  const maxN = Math.max(...measured)
  if (measured.length < recommendedCounts)
    warnings.push(`only ${measured.length} counts measured; the USL wants at least ${recommendedCounts}`)
  if (fit.rSquared < 0.9)
    warnings.push(
      `the USL fits poorly (R² ${fit.rSquared.toFixed(2)}): the throughput does not follow contention and coherency — check the trials' CV and the verdicts`,
    )
  const loose = (value: number, se: number) => value > 0 && se > value
  if (loose(fit.sigma, fit.standardErrors.sigma) || loose(fit.kappa, fit.standardErrors.kappa))
    warnings.push('σ or κ is smaller than its standard error: the data do not pin it down; N* is uncertain')
  if (fit.peakN === null)
    warnings.push('κ = 0: no coherency cost measured, so the model has no peak; do not extrapolate far')
  else if (fit.peakN > 2 * maxN)
    warnings.push(
      `N* = ${fit.peakN.toFixed(1)} lies far beyond the largest count measured (${maxN}): an extrapolation, measure nearer to it`,
    )
}

/** The throughput model to plan with: the USL when fitted, else the measured points (no extrapolation). */
function modelOf(fit: UslFitRecord | null, points: { n: number; x: number }[]): (n: number) => number {
  if (fit) return (n) => uslThroughput(fit, n)
  return (n) => points.find((p) => p.n === n)?.x ?? Number.NaN
}

/**
 * Throughput per worker count → the USL fit, the marginal gain of each added worker, the efficient count
 * (past which one more worker adds < 5 % of one worker's throughput) and, for a target, the fewest workers
 * and machines that serve it with the headroom.
 */
export function analyzeScaling(input: ScalingInput): Omit<ScalingResult, 'stack' | 'parameter'> {
  const warnings: string[] = []
  const sorted = [...input.points].sort((a, b) => a.n - b.n)
  const measured = sorted.flatMap((p) => (p.reqPerSec === null ? [] : [{ n: p.n, x: p.reqPerSec }]))
  const failed = sorted.filter((p) => p.reqPerSec === null).map((p) => p.n)
  if (failed.length) warnings.push(`no throughput measured at ${failed.join(', ')}: see the failures`)
  let previous: { n: number; x: number } | undefined
  const points = sorted.map((p) => {
    const marginal = p.reqPerSec !== null && previous ? (p.reqPerSec - previous.x) / (p.n - previous.n) : null
    if (p.reqPerSec !== null) previous = { n: p.n, x: p.reqPerSec }
    return { ...p, marginal }
  })
  const fit = fitRecord(measured, warnings)
  if (fit)
    fitWarnings(
      fit,
      measured.map((p) => p.n),
      warnings,
    )
  const model = modelOf(fit, measured)
  const maxMeasured = Math.max(...measured.map((p) => p.n))
  // up to the peak (past it, more workers lose throughput), at most 4× what was measured
  const last = Math.max(1, Math.min(Math.ceil(fit?.peakN ?? Number.POSITIVE_INFINITY), 4 * maxMeasured))
  const counts = fit ? Array.from({ length: last }, (_, i) => i + 1) : measured.map((p) => p.n)
  const one = model(1)
  const efficientN =
    counts.find((n, i) => {
      const next = counts[i + 1]
      return next === undefined || (model(next) - model(n)) / (next - n) < efficientGain * one
    }) ?? null
  const result: Omit<ScalingResult, 'stack' | 'parameter'> = { points, fit, efficientN, warnings }
  if (input.target === undefined || measured.length === 0) return result
  const usable = (n: number) => model(n) * input.headroom
  const single = counts.find((n) => usable(n) >= (input.target as number))
  if (single !== undefined) {
    result.recommended = {
      n: single,
      machines: 1,
      reason: `${single}: ${Math.round(model(single))} req/s modelled, and ${Math.round(input.headroom * 100)} % of it covers the target`,
    }
  } else {
    const n = efficientN ?? maxMeasured
    const machines = Math.ceil((input.target as number) / usable(n))
    result.recommended = {
      n,
      machines,
      reason: `one machine tops out near ${Math.round(model(n))} req/s at ${n}; the target needs ${machines} at ${Math.round(input.headroom * 100)} % load`,
    }
  }
  if (result.recommended.n > maxMeasured)
    warnings.push(
      `the recommended ${result.recommended.n} lies beyond the largest count measured (${maxMeasured}): confirm it with a run`,
    )
  return result
}
