/**
 * Holm's step-down adjustment of p-values for testing several hypotheses at once: the i-th smallest p is
 * multiplied by (m − i + 1), and adjusted values are kept monotone. Returned in the input's order.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0])
  const adjusted = new Array<number>(m).fill(1)
  let running = 0
  order.forEach(([p, index], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    adjusted[index] = running
  })
  return adjusted
}
