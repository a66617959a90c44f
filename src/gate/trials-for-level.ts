/** Trials per side an exact interval at this level needs at the least: the smallest n with 1 ÷ C(2n, n) < (1 − level) ÷ 2. */
export function trialsForLevel(level: number): number {
  let combinations = 2 // C(2, 1)
  for (let n = 1; ; n++) {
    if (1 / combinations < (1 - level) / 2) return n
    combinations = (combinations * (2 * n + 1) * (2 * n + 2)) / ((n + 1) * (n + 1))
  }
}
