/**
 * A small seeded pseudo-random generator for simulations that must give the same numbers on every run:
 * mulberry32 (Tommy Ettinger's 32-bit generator, period 2^32), with standard normal draws by Box–Muller.
 */
export function seededRandom(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  let spare: number | undefined
  const normal = () => {
    if (spare !== undefined) {
      const z = spare
      spare = undefined
      return z
    }
    const u = 1 - uniform() // (0, 1]: log(u) is finite
    const v = uniform()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
  return { uniform, normal }
}
