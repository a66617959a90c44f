import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { changeRatio } from '../../src/gate/change-ratio.js'
import type { ChangeRatio } from '../../src/gate/gate-result-schema.js'
import { hodgesLehmann } from '../../src/gate/hodges-lehmann.js'
import { judgeChange } from '../../src/gate/judge-change.js'
import { normalQuantile } from '../../src/gate/normal-quantile.js'
import { trialsForLevel } from '../../src/gate/trials-for-level.js'
import { uDistribution } from '../../src/gate/u-distribution.js'

const close = (actual: number | null, expected: number, tolerance = 1e-9) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`)

// Hollander & Wolfe, Nonparametric Statistical Methods (2nd ed., 1999), Examples 4.1–4.4: permeability constants of
// the human chorioamnion at term (x) and at 12–26 weeks (y). The same data are R's ?wilcox.test example.
const permeabilityX = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
const permeabilityY = [1.15, 0.88, 0.9, 0.74, 1.21]
// Hollander & Wolfe's Hamilton depression scale data (R's ?wilcox.test, "x" and "y"), as PHUSE CAMIS compares
// SAS and R on it: psiaims.github.io/CAMIS/SAS/nparestimate.html and .../R/nparestimate.html. It has ties.
const depressionA = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
const depressionB = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
// SAS/STAT User's Guide, PROC NPAR1WAY Example 71.3/71.4 (data React): reaction times under two stimulants.
const react1 = [1.94, 1.94, 2.92, 2.92, 2.92, 2.92, 3.27, 3.27, 3.27, 3.27, 3.7, 3.7, 3.74]
const react2 = [3.27, 3.27, 3.27, 3.7, 3.7, 3.74]

describe('Hodges–Lehmann shift and its interval against published values', () => {
  it('H&W Example 4.3: the estimate of y − x is the median of the 50 differences, −0.305', () => {
    close(hodgesLehmann(permeabilityY, permeabilityX, 0.95).estimate, -0.305, 1e-12)
    close(hodgesLehmann(permeabilityX, permeabilityY, 0.95).estimate, 0.305, 1e-12)
  })
  it('H&W Example 4.4 (exact, no ties): k = 9 from each end, achieved confidence 96.0 %', () => {
    // The achieved level 96.0 % is the one Geyer's Stat 5601 notes on this example quote (stat.umn.edu/geyer/
    // old02/5601/examp/ranksum.html); it is 1 − 2·P(U ≤ 8) for m = 10, n = 5, i.e. 1 − 2·60/3003.
    const r = hodgesLehmann(permeabilityY, permeabilityX, 0.95)
    assert.equal(r.method, 'exact')
    close(r.confidence, 1 - (2 * 60) / 3003, 1e-12)
    assert.equal(r.confidence.toFixed(3), '0.960')
    close(r.low, -0.76, 1e-12) // D(9) of the sorted y − x
    close(r.high, 0.15, 1e-12) // D(42)
  })
  it('SAS NPAR1WAY on the same data (asymptotic, Moses): −0.305, 95 % limits −0.7600 and 0.1700', () => {
    // published in the SAS output that CRAN's DescrTab2 package ships as a reference for its own tests
    const r = hodgesLehmann(permeabilityY, permeabilityX, 0.95, 'normal')
    assert.equal(r.method, 'normal')
    close(r.estimate, -0.305, 1e-12)
    close(r.low, -0.76, 1e-12)
    close(r.high, 0.17, 1e-12)
  })
  it('CAMIS, depression data with ties (normal approximation): 0.56, −0.37 … 1.183 in SAS; R 0.5600562, −0.3699774 … 1.1829708', () => {
    const r = hodgesLehmann(depressionA, depressionB, 0.95)
    assert.equal(r.method, 'normal', 'ties: no exact interval, as in R')
    close(r.estimate, 0.56, 1e-12)
    close(r.low, -0.37, 1e-12)
    close(r.high, 1.183, 1e-12)
    // R finds the same limits by root finding at tolerance 1e-4
    close(r.low, -0.3699774, 1e-4)
    close(r.high, 1.1829708, 1e-4)
    close(r.estimate, 0.5600562, 1e-4)
  })
  it('SAS Example 71.4 (React, heavy ties, ALPHA=.02): 0.35, asymptotic 98 % limits 0.0000 and 0.8200', () => {
    // the tie-corrected σ of U is SAS's "Std Dev Under H0" 11.004784; without the correction the limits would be
    // 0.00 and 1.33
    const r = hodgesLehmann(react2, react1, 0.98)
    close(r.estimate, 0.35, 1e-12)
    close(r.low, 0, 1e-12)
    close(r.high, 0.82, 1e-12)
  })
  it('has no interval when no order statistic reaches the level: 2 against 2 can give at most 66.7 %', () => {
    const r = hodgesLehmann([1, 2], [3, 4], 0.95)
    assert.equal(r.low, null)
    assert.equal(r.high, null)
    assert.notEqual(hodgesLehmann([1, 2], [3, 4], 0.6).low, null)
  })
})

describe('the pieces of the interval', () => {
  it('normalQuantile: z(0.975) = 1.95996398, z(0.995) = 2.57582930, z(0.5) = 0, symmetric', () => {
    // reference values: scipy.stats.norm.ppf; Acklam's approximation is good to a relative 1.2e-9
    close(normalQuantile(0.975), 1.959963984540054, 3e-9)
    close(normalQuantile(0.995), 2.5758293035489004, 3e-9)
    close(normalQuantile(0.5), 0, 1e-15)
    close(normalQuantile(1e-6), -4.753424308822899, 6e-9)
    close(normalQuantile(0.01), -normalQuantile(0.99), 1e-12)
  })
  it('uDistribution: C(m+n, m) arrangements, symmetric about mn/2', () => {
    const counts = uDistribution(10, 5)
    assert.equal(
      counts.reduce((s, c) => s + c, 0),
      3003,
    )
    assert.deepEqual(counts, [...counts].reverse())
    assert.deepEqual(uDistribution(2, 2), [1, 1, 2, 1, 1])
  })
  it('trialsForLevel: 4 per side reach 95 %, 5 reach 98.3 % (0.05 over 3 metrics), 6 reach 99.4 % (over 9)', () => {
    assert.equal(trialsForLevel(0.95), 4)
    assert.equal(trialsForLevel(1 - 0.05 / 3), 5)
    assert.equal(trialsForLevel(1 - 0.05 / 9), 6)
    assert.equal(
      hodgesLehmann([1, 2, 3, 4], [5, 6, 7, 8], 1 - 0.05 / 3).low,
      null,
      '4 per side do not reach 98.3 %',
    )
    assert.notEqual(hodgesLehmann([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 1 - 0.05 / 3).low, null)
  })
})

describe('changeRatio: the shift of the logs, as a ratio', () => {
  const baseline = [10_000, 10_100, 9_900, 10_050, 9_950, 10_200, 9_800, 10_020]
  it('a candidate that is the baseline × 0.8 has ratio 0.8, and the interval is made of trial ratios', () => {
    const candidate = baseline.map((v) => v * 0.8)
    const change = changeRatio(baseline, candidate, 0.95)
    close(change.ratio, 0.8, 1e-12)
    assert.ok(change.low !== null && change.high !== null && change.low < 0.8 && change.high > 0.8)
    const ratios = candidate.flatMap((c) => baseline.map((b) => c / b))
    assert.ok(
      ratios.some((r) => Math.abs(r - (change.low ?? 0)) < 1e-12),
      'the low limit is a trial ratio',
    )
    assert.ok(
      ratios.some((r) => Math.abs(r - (change.high ?? 0)) < 1e-12),
      'the high limit is a trial ratio',
    )
  })
  it('is the same for any scale: ×0.8 at 1,000 req/s and at 100,000', () => {
    const a = changeRatio(
      baseline,
      baseline.map((v) => v * 0.8),
      0.95,
    )
    const big = baseline.map((v) => v * 100)
    const b = changeRatio(
      big,
      big.map((v) => v * 0.8),
      0.95,
    )
    close(a.low, b.low ?? 0, 1e-12)
    close(a.high, b.high ?? 0, 1e-12)
  })
  it('takes a trial that served nothing (0 req/s) as a huge drop, never NaN', () => {
    const change = changeRatio(baseline, [0, 0, 0, 0, 0, 0, 0, 0], 0.95)
    assert.ok(Number.isFinite(change.ratio) && change.ratio < 1e-6)
    assert.ok(change.high !== null && change.high < 1e-6)
  })
})

describe('judgeChange: the verdict from where the interval lies', () => {
  const interval = (ratio: number, low: number, high: number): ChangeRatio => ({
    ratio,
    low,
    high,
    level: 0.983,
    confidence: 0.99,
    method: 'exact',
  })
  const latency = (c: ChangeRatio) => judgeChange(c, false, { warn: 3, fail: 5 }, 'p50')
  const throughput = (c: ChangeRatio) => judgeChange(c, true, { warn: 3, fail: 5 }, 'req/s')
  it('fail only when all of the interval lies past fail, in the direction that is worse', () => {
    assert.equal(latency(interval(1.1, 1.06, 1.14)).verdict, 'fail')
    assert.match(
      latency(interval(1.1, 1.06, 1.14)).reason,
      /^p50 worse by 10\.0 % \(98\.3 % CI \+6\.0 … \+14\.0 %\)/,
    )
    assert.equal(throughput(interval(0.9, 0.86, 0.94)).verdict, 'fail')
    assert.equal(throughput(interval(1.1, 1.06, 1.14)).verdict, 'pass', 'more req/s is better')
    assert.equal(latency(interval(0.9, 0.86, 0.94)).verdict, 'pass', 'less latency is better')
  })
  it('inconclusive when it straddles fail, whatever the estimate', () => {
    const straddling = latency(interval(1.02, 0.97, 1.07))
    assert.equal(straddling.verdict, 'inconclusive')
    assert.match(straddling.reason, /straddles fail at \+5 %/)
    assert.equal(
      latency(interval(1.08, 1.04, 1.12)).verdict,
      'inconclusive',
      'a likely regression not yet shown',
    )
    assert.equal(throughput(interval(0.98, 0.93, 1.02)).verdict, 'inconclusive')
  })
  it('pass when all of it lies short of warn; warn when it reaches past warn but not past fail', () => {
    assert.equal(latency(interval(1.0, 0.98, 1.029)).verdict, 'pass')
    assert.equal(latency(interval(1.01, 0.98, 1.04)).verdict, 'warn')
    assert.match(latency(interval(1.01, 0.98, 1.04)).reason, /may be worse by up to 4\.0 %/)
    assert.equal(throughput(interval(0.99, 0.96, 1.01)).verdict, 'warn')
  })
})
