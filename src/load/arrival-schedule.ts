import type { RateRamp } from '../profile/schema.js'

export interface ScheduleSpec {
  rate: RateRamp
  durationMs: number
  spacing: 'uniform' | 'poisson'
  seed: number
  /** 0 ≤ offset < 1: shifts a uniform schedule by that fraction of one interval (interleaves generators). */
  offset: number
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)), so a Poisson schedule can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The intended send times (ms from the start) of an open-loop step. The rate ramps linearly from → to, so the
 * expected number of requests by time t is N(t) = from·t + (to − from)·t²/2T; request k is due when N(t) reaches
 * k + offset (uniform) or the k-th arrival of a unit-rate Poisson process (poisson), found by inverting N.
 */
export function arrivalSchedule(spec: ScheduleSpec): Float64Array {
  const T = spec.durationMs / 1000
  const { from, to } = spec.rate
  const a = (to - from) / (2 * T)
  const timeAt = (n: number) =>
    Math.abs(a) < 1e-12 ? n / from : (-from + Math.sqrt(from * from + 4 * a * n)) / (2 * a)
  const total = from * T + a * T * T
  const times: number[] = []
  const next = random(spec.seed)
  let n = spec.spacing === 'uniform' ? spec.offset : -Math.log(1 - next())
  while (n < total) {
    times.push(timeAt(n) * 1000)
    n += spec.spacing === 'uniform' ? 1 : -Math.log(1 - next())
  }
  return Float64Array.from(times)
}
