/** 1234567 → "1,234,567". */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/** Milliseconds with three significant figures at most: 0.123, 4.56, 78.9, 1,234; "—" where nothing was measured (null). */
export function formatMs(milliseconds: number | null): string {
  if (milliseconds === null) return '—'
  const value = milliseconds >= 100 ? milliseconds : Number(milliseconds.toPrecision(3))
  if (value >= 100) return formatInteger(value)
  if (value >= 10) return value.toFixed(1)
  if (value >= 1) return value.toFixed(2)
  return value.toFixed(3)
}

/** A percent, e.g. of requests failed: 0 → "0", 0.012 → "0.012", 25 → "25.0". */
export function formatPercent(value: number): string {
  const percent = Number(value.toPrecision(2))
  if (percent === 0) return '0'
  if (percent < 0.001) return '<0.001'
  if (percent >= 10) return percent.toFixed(1)
  return percent.toPrecision(2)
}

/** A duration for plans: "45s", "2m05s". */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000)
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`
}
