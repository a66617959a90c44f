/** "44 % more" / "31 % less" / "the same" / "12 times as much": a against b, as a share of b. */
export function compareShare(a: number, b: number, more = 'more', less = 'less'): string {
  if (b === 0) return a === 0 ? 'the same' : more
  // past ten times, a percentage ("553342 % more") says less than the ratio
  if (a / b >= 10) return `${Math.round(a / b).toLocaleString('en-US')} times as much`
  const change = (a / b - 1) * 100
  const rounded = Math.abs(change) < 10 ? Number(Math.abs(change).toFixed(1)) : Math.round(Math.abs(change))
  if (rounded === 0) return 'the same'
  return `${rounded} % ${change > 0 ? more : less}`
}
