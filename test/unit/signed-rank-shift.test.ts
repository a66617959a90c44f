import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { changeRatio } from '../../src/gate/change-ratio.js'
import { pairedChangeRatio } from '../../src/gate/paired-change-ratio.js'
import { signedRankDistribution } from '../../src/gate/signed-rank-distribution.js'
import { signedRankShift } from '../../src/gate/signed-rank-shift.js'
import { signedRankTest } from '../../src/gate/signed-rank-test.js'
import { signedRankZ } from '../../src/gate/signed-rank-z.js'

/** R's wilcox.test(x, y, paired = TRUE, conf.int = TRUE) on eight cases (test/fixtures/signed-rank-r.R). */
const cases = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/signed-rank-r.json', import.meta.url), 'utf8'),
) as {
  d: number[]
  level: number
  estimate: number
  p: number
  low: number
  high: number
  confidence: number
  exact: boolean
}[]

test('the signed-rank distribution counts every sign pattern once, symmetric about n(n+1)/4', () => {
  for (const n of [1, 5, 12, 30]) {
    const counts = signedRankDistribution(n)
    assert.equal(counts.length, (n * (n + 1)) / 2 + 1)
    assert.equal(
      counts.reduce((s, c) => s + c, 0),
      2 ** n,
    )
    for (const [v, c] of counts.entries()) assert.equal(c, counts[counts.length - 1 - v], `n=${n} v=${v}`)
  }
  assert.deepEqual(signedRankDistribution(3), [1, 1, 1, 2, 1, 1, 1])
})

test('the paired Hodges–Lehmann estimate and signed-rank interval equal R wilcox.test, exact and normal', () => {
  assert.ok(cases.some((c) => c.exact) && cases.some((c) => !c.exact), 'both methods among the cases')
  for (const [i, c] of cases.entries()) {
    const ours = signedRankShift(c.d, c.level)
    assert.equal(ours.method, c.exact ? 'exact' : 'normal', `case ${i}`)
    // exact: the same order statistics; normal: R's uniroot stops within 1e-4 of the crossing this finds exactly
    const tolerance = c.exact ? 1e-12 : 1.5e-4
    // the estimate solves "signed-rank deviate of d − μ = 0"; where it is 0 along a stretch, any μ there does (R's
    // uniroot stops at one, this takes the middle): R's must solve it too
    if (!c.exact && Math.abs(ours.estimate - c.estimate) > tolerance)
      assert.equal(signedRankZ(c.d, c.estimate, false), 0, `case ${i}: R's estimate ${c.estimate} is a root`)
    for (const key of (Math.abs(ours.estimate - c.estimate) > tolerance && !c.exact
      ? ['low', 'high']
      : ['estimate', 'low', 'high']) as ('estimate' | 'low' | 'high')[]) {
      const value = ours[key]
      assert.ok(
        value !== null && Math.abs(value - c[key]) <= tolerance,
        `case ${i} ${key}: ${value} vs R ${c[key]}`,
      )
    }
    // R reports the level asked unless the exact coverage falls short of it by more than half of α
    if (c.confidence < c.level)
      assert.ok(Math.abs(ours.confidence - c.confidence) < 1e-3, `case ${i} coverage`)
    else assert.ok(ours.confidence >= c.level - 1e-9, `case ${i} coverage ${ours.confidence}`)
  }
})

test('the signed-rank test p-value equals R wilcox.test, exact and normal (ties, zeros)', () => {
  for (const [i, c] of cases.entries()) {
    const ours = signedRankTest(c.d)
    assert.equal(ours.exact, c.exact, `case ${i}`)
    assert.ok(Math.abs(ours.p - c.p) < 1e-7, `case ${i}: p ${ours.p} vs R ${c.p}`)
  }
  assert.deepEqual(signedRankTest([0, 0]), { p: 1, exact: false })
})

test('a clear shift gives an interval that excludes zero; the same data mirrored mirrors it', () => {
  const d = [0.051, 0.047, 0.062, 0.039, 0.055, 0.044, 0.058, 0.049]
  const up = signedRankShift(d, 0.95)
  const down = signedRankShift(
    d.map((v) => -v),
    0.95,
  )
  assert.ok(up.low !== null && up.low > 0)
  assert.equal(down.estimate, -up.estimate)
  assert.equal(down.low, -(up.high as number))
})

test('paired trials resolve a 3 % change under a shared drift that two independent groups cannot', () => {
  // each pair shares a slow or fast minute (±15 %); within a pair the candidate is 3 % slower, ±0.5 %
  const drift = [1.0, 1.15, 0.88, 1.07, 0.9, 1.12, 0.95, 1.1, 0.86, 1.04]
  const wobble = [0.002, -0.004, 0.003, 0.0, -0.002, 0.005, -0.001, 0.001, -0.003, 0.004]
  const baseline = drift.map((m) => 1000 * m)
  const candidate = drift.map((m, i) => 1000 * m * 0.97 * (1 + (wobble[i] as number)))
  const paired = pairedChangeRatio(baseline, candidate, 0.95)
  assert.ok(
    paired.high !== null && paired.high < 1 && paired.low !== null && paired.low > 0.95,
    JSON.stringify(paired),
  )
  const unpaired = changeRatio(baseline, candidate, 0.95)
  assert.ok(
    unpaired.high !== null && unpaired.high > 1,
    `independent groups straddle 1: ${JSON.stringify(unpaired)}`,
  )
  assert.throws(() => pairedChangeRatio([1, 2], [1], 0.95), /needs pairs/)
})
