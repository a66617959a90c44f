import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkHistory } from '../../src/history-analysis/check-history.js'
import { energySplitter } from '../../src/history-analysis/energy-splitter.js'
import { findChangePoints } from '../../src/history-analysis/find-change-points.js'
import type { HistorySeries } from '../../src/history-analysis/history-series.js'
import { historySeries } from '../../src/history-analysis/history-series.js'
import { studentTTest } from '../../src/history-analysis/student-t-test.js'
import type { GateMetric } from '../../src/profile/schema.js'
import { seededRandom } from '../seeded-random.js'

const close = (actual: number, expected: number, relative = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} ≠ ${expected}`)

/** A series of `n` runs around `level` with a relative noise, seeded; `step` multiplies the runs from `at` on. */
function noisy(seed: number, n: number, noise: number, step?: { at: number; by: number }): number[] {
  const random = seededRandom(seed)
  return Array.from(
    { length: n },
    (_, i) => 100 * (step && i >= step.at ? step.by : 1) * (1 + noise * random.normal()),
  )
}

const asSeries = (values: number[], metric: GateMetric = 'p50'): HistorySeries => ({
  cell: 'node / hello / c=50',
  metric,
  points: values.map((value, i) => ({
    runId: i + 1,
    commit: `c${i + 1}`,
    branch: 'main',
    startedAt: `2026-01-${String(i + 1).padStart(2, '0')}`,
    value,
    trials: 8,
  })),
})

describe("Student's t-test against scipy 1.17", () => {
  it('ttest_ind([10.1, 9.8, 10.3, 10.0, 9.9], [12.2, 11.9, 12.4]): t −13.738454994324071, p 9.24669274971305e-06', () => {
    const r = studentTTest([10.1, 9.8, 10.3, 10.0, 9.9], [12.2, 11.9, 12.4])
    close(r.t, 13.738454994324071) // ours is after − before
    close(r.p, 9.24669274971305e-6, 1e-8)
    assert.equal(r.degreesOfFreedom, 6)
  })
  it('a side of one value: ttest_ind([1..6], [7]) gives p 0.14381080871160382', () => {
    close(studentTTest([1, 2, 3, 4, 5, 6], [7]).p, 0.14381080871160382, 1e-10)
  })
  it('t distribution tails: 2·t.sf(2, 5) = 0.10193947882985835, 2·t.sf(10, 3) = 0.0021283990584141503', () => {
    // df + 1 values with mean 0 and sample sd s against one value x: df degrees of freedom, pooled sd s, and
    // t = x ÷ (s·√(1/(df+1) + 1)), so x is chosen to give the t wanted
    const p = (t: number, df: number) => {
      const before = Array.from({ length: df + 1 }, (_, i) => i - df / 2)
      const s = Math.sqrt(before.reduce((a, v) => a + v * v, 0) / df)
      return studentTTest(before, [t * s * Math.sqrt(1 / before.length + 1)]).p
    }
    close(p(2, 5), 0.10193947882985835, 1e-9)
    close(p(10, 3), 0.0021283990584141503, 1e-8)
    close(p(2.2281388519649385, 10), 0.05, 1e-8)
  })
  it('identical sides: p 1; two constant sides that differ: p 0', () => {
    assert.equal(studentTTest([5, 5, 5], [5, 5]).p, 1)
    assert.equal(studentTTest([5, 5, 5], [6, 6]).p, 0)
  })
})

describe('E-divisive means with a t-test', () => {
  it("the energy split of [0, 0, 0, 10, 10, 10] is at 3, the second part's first point", () => {
    assert.equal(energySplitter([0, 0, 0, 10, 10, 10])(0, 6)?.index, 3)
    assert.equal(energySplitter([5, 5, 1, 1, 1, 1, 1, 1])(0, 8)?.index, 2)
  })
  it('finds a 10 % step in 60 seeded runs with 2 % noise, at the run it starts, and nothing else', () => {
    const points = findChangePoints(noisy(7, 60, 0.02, { at: 35, by: 0.9 }), { window: 30, pValue: 0.001 })
    assert.deepEqual(
      points.map((p) => p.index),
      [35],
    )
    assert.ok((points[0]?.test.p ?? 1) < 1e-10)
    assert.ok(Math.abs((points[0]?.test.meanAfter ?? 0) / (points[0]?.test.meanBefore ?? 1) - 0.9) < 0.02)
  })
  it('finds two steps, up then down, each where it starts', () => {
    const values = noisy(8, 70, 0.02).map((v, i) => (i >= 25 && i < 50 ? v * 1.15 : v))
    assert.deepEqual(
      findChangePoints(values, { window: 30, pValue: 0.001 }).map((p) => p.index),
      [25, 50],
    )
  })
  it('finds none in a flat noisy series (seeded), and rarely in 500 of them: ≤ 5 % of series', () => {
    assert.deepEqual(findChangePoints(noisy(9, 60, 0.03), { window: 30, pValue: 0.001 }), [])
    let withAny = 0
    for (let seed = 100; seed < 600; seed++) {
      if (findChangePoints(noisy(seed, 40, 0.03), { window: 30, pValue: 0.001 }).length > 0) withAny++
    }
    assert.ok(withAny / 500 <= 0.05, `${withAny} of 500 flat series have a change point`)
  })
})

describe('checkHistory: a regression starting in the newest run fails', () => {
  const options = { window: 30, pValue: 0.001, recent: 1 }
  it('p50 up 30 % in the newest of 20 runs: a regression, at that run', () => {
    const values = noisy(11, 20, 0.02, { at: 19, by: 1.3 })
    const check = checkHistory([asSeries(values)], options)
    assert.equal(check.verdict, 'regression')
    assert.equal(check.changes[0]?.at.commit, 'c20')
    assert.ok(check.changes[0]?.recent && check.changes[0].regression)
  })
  it('the same rise in req/s is an improvement, and passes', () => {
    const check = checkHistory([asSeries(noisy(11, 20, 0.02, { at: 19, by: 1.3 }), 'reqPerSec')], options)
    assert.equal(check.verdict, 'pass')
    assert.equal(check.changes[0]?.regression, false)
  })
  it('a regression 5 runs back is reported but passes with --recent 1, and fails with --recent 5', () => {
    const series = asSeries(noisy(12, 20, 0.02, { at: 15, by: 1.3 }))
    const check = checkHistory([series], options)
    assert.equal(check.verdict, 'pass')
    assert.deepEqual(
      check.changes.map((c) => [c.index, c.regression, c.recent]),
      [[15, true, false]],
    )
    assert.equal(checkHistory([series], { ...options, recent: 5 }).verdict, 'regression')
  })
  it('2,000 flat seeded series of 40 runs (3 % noise): a false regression at the newest run in ≤ 0.5 %', () => {
    let falseAlarms = 0
    for (let seed = 1000; seed < 3000; seed++) {
      if (checkHistory([asSeries(noisy(seed, 40, 0.03))], options).verdict === 'regression') falseAlarms++
    }
    assert.ok(falseAlarms <= 10, `${falseAlarms} of 2,000`)
  })
  it('a 10 % step in the newest 3 of 30 runs (3 % noise) fails --recent 3 in ≥ 75 % of 1,000 seeded series', () => {
    let caught = 0
    for (let seed = 5000; seed < 6000; seed++) {
      const series = asSeries(noisy(seed, 30, 0.03, { at: 27, by: 1.1 }))
      if (checkHistory([series], { ...options, recent: 3 }).verdict === 'regression') caught++
    }
    assert.ok(caught >= 750, `${caught} of 1,000`)
  })
  it('a series of fewer than 3 runs is not tested, and says so', () => {
    const check = checkHistory([asSeries([100, 130])], options)
    assert.deepEqual(check.short, ['node / hello / c=50 p50'])
    assert.equal(check.verdict, 'pass')
  })
  it("historySeries: a point is the median of the run's trials, one series per cell and metric", () => {
    const value = (trial: number, v: number) => ({
      stack: 'node',
      phase: 'hello',
      step: 0,
      label: 'c=50',
      trial,
      metric: 'p50' as const,
      value: v,
    })
    const run = (id: number, values: number[]) => ({
      id,
      commit: `c${id}`,
      branch: null,
      startedAt: `2026-01-0${id}`,
      machine: 'm',
      profile: 'p',
      profileSha256: `s${id}`,
      values: values.map((v, i) => value(i, v)),
    })
    const series = historySeries([run(1, [5, 50, 6]), run(2, [7, 8, 9, 10])])
    assert.equal(series.length, 1)
    assert.deepEqual(
      series[0]?.points.map((p) => [p.value, p.trials]),
      [
        [6, 3],
        [8.5, 4],
      ],
    )
  })
})
