import assert from 'node:assert/strict'

/** A latency the test expects to have been measured: fails the test where the histogram was empty (null). */
export function measuredMs(ms: number | null | undefined): number {
  assert.equal(typeof ms, 'number', 'a latency was measured (its histogram is not empty)')
  return ms as number
}
