import type { ChangeRatio } from './gate-result-schema.js'

/**
 * About how many trials a side would narrow an interval that straddles the fail threshold enough to clear it,
 * from the spread seen so far: its half-width facing the threshold shrinks as 1 ÷ √n, and must come down to the
 * distance from the estimate to the threshold (on the log scale). Infinity when the estimate sits on the
 * threshold itself. A rough guide: the next trials vary too, and so does the level of a sequential gate.
 */
export function trialsNeeded(
  change: ChangeRatio,
  higherIsBetter: boolean,
  fail: number,
  trials: number,
): number {
  if (change.low === null || change.high === null) return Number.POSITIVE_INFINITY
  const threshold = Math.log(higherIsBetter ? 1 - fail / 100 : 1 + fail / 100)
  const estimate = Math.log(change.ratio)
  const distance = Math.abs(estimate - threshold)
  const facing = Math.log(estimate > threshold ? change.low : change.high)
  const halfWidth = Math.abs(facing - estimate)
  if (distance < 1e-9) return Number.POSITIVE_INFINITY
  return Math.max(trials + 1, Math.ceil(trials * (halfWidth / distance) ** 2))
}
