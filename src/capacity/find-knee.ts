/** A step of the search on the latency–throughput curve: offered req/s, latency in ms, whether it met the SLO. */
export interface CurvePoint {
  rate: number
  latency: number
  pass: boolean
}

/** A curve whose latency never doubles has not turned up: Kneedle would only pick noise on it. */
const minRise = 2

/**
 * Kneedle (Satopää et al., 2011) for an increasing convex curve: scale both axes to [0, 1] and take the point
 * farthest below the diagonal, i.e. where latency stops following the rate and turns up. Written here because
 * the npm ports are unmaintained one-file packages; this is the whole algorithm for a single knee.
 *
 * The curve ends at the lowest rate that did not meet the SLO: past it the stack no longer keeps up, and an
 * open-loop step's latency there is the backlog built over the step (it grows with the step's length, not with
 * the rate), not a point of the curve. Kept in, one such step (64,000 req/s at seconds of p99) flattened
 * everything below it and put the knee at 48,000 @ 108 ms, above the 39,500 the stack sustained. So the knee
 * is a step that met the SLO, at most the highest one. undefined with fewer than three distinct rates on the
 * curve, or a curve that never turns up (its latency does not double).
 */
export function findKnee(points: readonly CurvePoint[]): CurvePoint | undefined {
  const byRate = new Map<number, CurvePoint>()
  for (const p of points) byRate.set(p.rate, p) // the latest measurement of a rate stands
  const sorted = [...byRate.values()].sort((a, b) => a.rate - b.rate)
  const end = sorted.findIndex((p) => !p.pass)
  // latency under load only grows with the rate: a noisy dip above a worse step is lifted to it (running
  // maximum), so the knee cannot land on a lucky point past the turn
  let worst = 0
  const curve = sorted.slice(0, end === -1 ? sorted.length : end + 1).map((p) => {
    worst = Math.max(worst, p.latency)
    return { rate: p.rate, latency: worst }
  })
  if (curve.length < 3) return undefined
  const first = curve[0] as { rate: number; latency: number }
  const last = curve[curve.length - 1] as { rate: number; latency: number }
  const minLatency = Math.min(...curve.map((p) => p.latency))
  const spanX = last.rate - first.rate
  const spanY = last.latency - minLatency
  if (spanX <= 0 || spanY <= 0 || last.latency < minRise * minLatency) return undefined
  let best: CurvePoint | undefined
  let bestGap = 0
  for (const p of curve) {
    const gap = (p.rate - first.rate) / spanX - (p.latency - minLatency) / spanY
    const measured = byRate.get(p.rate) as CurvePoint // report what was measured there
    if (gap > bestGap && measured.pass) {
      bestGap = gap
      best = measured
    }
  }
  return best
}
