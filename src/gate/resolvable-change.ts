import { seededRandom } from '../seeded-random.js'
import { cellChange } from './cell-change.js'

/** Resampled gates per estimate: enough for a steady 95th percentile, few enough to print at once. */
const resamples = 400

/**
 * The smallest change, %, a gate of `pairs` pairs can resolve on this runner, from A/A trials (base[i] next to
 * cand[i]): the interval of a gate on `pairs` pairs drawn from them with replacement reaches, in 95 % of 400
 * seeded resamples, no further from 0 than this, in either direction. A warn threshold below it leaves most
 * unchanged code inconclusive; a fail threshold is crossed with confidence only by changes beyond about it plus
 * itself. Infinity when more than 5 % of the resampled gates give no interval at this level.
 */
export function resolvableChange(
  base: readonly number[],
  cand: readonly number[],
  pairs: number,
  level: number,
  paired: boolean,
): number {
  if (base.length === 0 || base.length !== cand.length)
    throw new Error('resolvableChange needs A/A pairs of trials')
  // seeded, so that a calibration gives the same figures for the same trials
  const random = seededRandom(pairs * 7919 + base.length)
  const reach: number[] = []
  for (let r = 0; r < resamples; r++) {
    const picks = Array.from({ length: pairs }, () => Math.floor(random() * base.length))
    const { change } = cellChange(
      picks.map((i) => base[i] as number),
      picks.map((i) => cand[i] as number),
      paired,
      level,
    )
    reach.push(
      change.low === null || change.high === null
        ? Number.POSITIVE_INFINITY
        : Math.max(Math.abs(change.low - 1), Math.abs(change.high - 1)) * 100,
    )
  }
  reach.sort((a, b) => a - b)
  return reach[Math.ceil(0.95 * resamples) - 1] as number
}
