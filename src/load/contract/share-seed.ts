import { seededRandom } from '../../seeded-random.js'

/**
 * The seed of share `index` of a step seeded `seed`: a function of the two alone, so a share draws the same
 * Poisson schedule whichever generator (thread or agent) runs it.
 */
export function shareSeed(seed: number, index: number): number {
  return Math.floor(seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)() * 2 ** 31)
}
