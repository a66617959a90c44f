import { seededRandom } from '../seeded-random.js'
import type { OpenLoadSpec } from './contract/load-spec.js'
import type { Share } from './contract/share.js'

export interface ScheduleSpec {
  rate: OpenLoadSpec['rate']
  durationMs: number
  spacing: 'uniform' | 'poisson'
  seed: number
  /** 0 ≤ offset < 1: shifts a uniform schedule by that fraction of one interval (interleaves generators). */
  offset: number
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
  const next = seededRandom(spec.seed)
  let n = spec.spacing === 'uniform' ? spec.offset : -Math.log(1 - next())
  while (n < total) {
    times.push(timeAt(n) * 1000)
    n += spec.spacing === 'uniform' ? 1 : -Math.log(1 - next())
  }
  return Float64Array.from(times)
}

/**
 * The intended send times of one share of an open-loop step (its load from splitLoad): its part of the rate,
 * a uniform schedule offset by index/of of an interval so the shares interleave, a Poisson one from its seed.
 */
export function shareSchedule(load: OpenLoadSpec, share: Share, seed: number): Float64Array {
  return arrivalSchedule({ ...load, seed, offset: share.index / share.of })
}
