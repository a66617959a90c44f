/** A point of a latency–throughput curve: offered req/s, latency in ms. */
export interface CurvePoint {
  rate: number
  latency: number
}

/**
 * Kneedle (Satopää et al., 2011) for an increasing convex curve: scale both axes to [0, 1] and take the point
 * farthest below the diagonal, i.e. where latency stops following the rate and turns up. Written here because
 * the npm ports are unmaintained one-file packages; this is the whole algorithm for a single knee. undefined
 * with fewer than three distinct rates or a curve that never turns up.
 */
export function findKnee(points: readonly CurvePoint[]): CurvePoint | undefined {
  const byRate = new Map<number, CurvePoint>()
  for (const p of points) byRate.set(p.rate, p) // the latest measurement of a rate stands
  // latency under load only grows with the rate: a noisy dip above a worse step is lifted to it (running
  // maximum), so the knee cannot land on a lucky point past the turn
  let worst = 0
  const curve = [...byRate.values()]
    .sort((a, b) => a.rate - b.rate)
    .map((p) => {
      worst = Math.max(worst, p.latency)
      return { rate: p.rate, latency: worst }
    })
  if (curve.length < 3) return undefined
  const first = curve[0] as CurvePoint
  const last = curve[curve.length - 1] as CurvePoint
  const minLatency = Math.min(...curve.map((p) => p.latency))
  const spanX = last.rate - first.rate
  const spanY = Math.max(...curve.map((p) => p.latency)) - minLatency
  if (spanX <= 0 || spanY <= 0) return undefined
  let best: CurvePoint | undefined
  let bestGap = 0
  for (const p of curve) {
    const gap = (p.rate - first.rate) / spanX - (p.latency - minLatency) / spanY
    if (gap > bestGap) {
      bestGap = gap
      best = byRate.get(p.rate) // report what was measured there
    }
  }
  return best
}
