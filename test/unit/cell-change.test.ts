import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cellChange } from '../../src/gate/cell-change.js'

// p50 (ms) of a live A/A gate's 20 pairs of 2 s slices, Node /cpu?ms=1 at 2 connections: most pairs read the same
// histogram bucket or a tied |difference|, so the signed-rank interval takes the normal approximation
const baseline = [
  2.135, 2.101, 2.097, 2.111, 2.101, 2.109, 2.101, 2.077, 2.065, 2.101, 2.097, 2.099, 2.101, 2.109, 2.109,
  2.089, 2.099, 2.115, 2.111, 2.119,
]
const candidate = [
  2.137, 2.107, 2.105, 2.105, 2.105, 2.107, 2.079, 2.077, 2.069, 2.103, 2.097, 2.107, 2.101, 2.105, 2.109,
  2.105, 2.109, 2.103, 2.115, 2.121,
]
// the level of that gate's last look: trials: auto's share of alpha at 20 pairs over 4 metrics
const lastLook = 0.9995985465177792

describe('cellChange', () => {
  it('judges tied pairs as two groups when the normal approximation cannot reach the level (it read "too few trials" at 20 pairs)', () => {
    const { change } = cellChange(baseline, candidate, true, lastLook)
    assert.equal(change.paired, false)
    assert.ok(change.low !== null && change.high !== null, JSON.stringify(change))
    assert.ok(change.low < 1 && change.high > 1, JSON.stringify(change))
    assert.ok(change.high < 1.05, 'the interval is narrow enough to clear fail at +5 %')
  })
  it('keeps the pairs where they reach the level', () => {
    const { change } = cellChange(baseline, candidate, true, 0.95)
    assert.equal(change.paired, true)
    assert.ok(change.low !== null && change.low < 1 && (change.high ?? 0) > 1, JSON.stringify(change))
  })
  it('a stored baseline has no pairs: two groups', () => {
    assert.equal(cellChange(baseline, candidate, false, 0.95).change.paired, false)
  })
})
