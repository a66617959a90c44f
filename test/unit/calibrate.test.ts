import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { calibrateGate } from '../../src/gate/calibrate-gate.js'
import { type GateCellValues, judgeCells } from '../../src/gate/judge-cells.js'
import { resolvableChange } from '../../src/gate/resolvable-change.js'
import { gateSchema } from '../../src/profile/schema.js'
import { renderCalibration } from '../../src/report/render-calibration.js'
import { seededRandom } from '../seeded-random.js'

/** A/A trials of a machine whose minutes (shared by a pair) vary by 8 % and each trial by 1 % on its own. */
function aa(seed: number, n: number): GateCellValues {
  const random = seededRandom(seed)
  const baseline: GateCellValues['baseline'] = []
  const candidate: GateCellValues['candidate'] = []
  for (let i = 0; i < n; i++) {
    const minute = Math.exp(0.08 * random.normal())
    const trial = () => {
      const own = Math.exp(0.01 * random.normal())
      return { reqPerSec: 1000 / minute / own, p50: 5 * minute * own, p99: 12 * minute * own, errorRate: 0 }
    }
    baseline.push(trial())
    candidate.push(trial())
  }
  const cpu = (i: number) => 0.4 * (1 + 0.002 * Math.sin(i * 7 + seed))
  return {
    cell: 'p c=2',
    phase: 'p',
    step: 0,
    label: 'c=2',
    paired: true,
    baseline,
    candidate,
    candidateErrorPercent: 0,
    cpuPerRequest: [
      {
        tier: 'app',
        baseline: baseline.map((_, i) => cpu(i)),
        candidate: candidate.map((_, i) => cpu(i + 3)),
      },
    ],
  }
}

describe('bench gate --calibrate, the pure part', () => {
  const config = gateSchema.parse({})
  it('resolves smaller changes with more pairs, and pairs resolve what two groups of the same trials cannot', () => {
    const cell = aa(1, 20)
    const base = cell.baseline.map((m) => m.reqPerSec)
    const cand = cell.candidate.map((m) => m.reqPerSec)
    const at = (n: number, paired = true) => resolvableChange(base, cand, n, 1 - 0.05 / 4, paired)
    assert.ok(at(20) < at(10), `${at(20)} at 20 pairs, ${at(10)} at 10`)
    assert.ok(Number.isFinite(at(6)), 'six pairs fall back to two groups, which reach the level')
    assert.ok(at(20) < 3, `paired: ${at(20)} %`)
    assert.ok(at(20, false) > 2 * at(20), `two groups: ${at(20, false)} %, pairs ${at(20)} %`)
    assert.equal(at(10), at(10), 'seeded: the same figures for the same trials')
  })
  it('reports every metric with its noise and suggests thresholds; CPU per request resolves the finest', () => {
    const rows = calibrateGate([aa(2, 20)], config)
    assert.deepEqual(
      rows.map((r) => r.metric),
      ['req/s', 'p50', 'p99', 'CPU/request (app)'],
    )
    for (const r of rows) {
      assert.ok(r.robustCv > 0 && r.pairSpread > 0, JSON.stringify(r))
      if (r.key !== 'cpuPerRequest')
        assert.ok(r.pairSpread < r.robustCv, `the pairs cancel the minute: ${JSON.stringify(r)}`)
      assert.ok(r.suggested.warn >= 1 && r.suggested.fail > r.suggested.warn, JSON.stringify(r))
      assert.ok(r.resolvable[20] <= r.resolvable[10] && r.resolvable[10] <= r.suggested.warn)
    }
    const cpu = rows[3]
    assert.ok(cpu && cpu.resolvable[20] < Math.min(...rows.slice(0, 3).map((r) => r.resolvable[20])))
    assert.deepEqual(cpu?.current, { warn: 3, fail: 5 })
    const text = renderCalibration(rows, 20)
    assert.match(text, /resolves at 6 pairs/)
    assert.match(text, /CPU\/request \(app\)/)
  })
  it('names thresholds tighter than the runner resolves, in the calibration and in the verdict', () => {
    const tight = gateSchema.parse({ metrics: { p50: { warn: 0.2, fail: 0.3 } } })
    const rows = calibrateGate([aa(3, 20)], tight)
    assert.match(
      renderCalibration(rows, 20),
      /p c=2 p50: this runner resolves [\d.]+ % at 20 pairs; warn is set at 0\.2 %/,
    )
    const gate = judgeCells([aa(3, 12)], tight, 'A', 'B')
    const p50 = gate.rows.find((r) => r.metric === 'p50')
    assert.notEqual(p50?.verdict, 'fail')
    assert.match(
      p50?.reason ?? '',
      /this runner resolves ±[\d.]+ % on p50 at 12 pairs; warn is set at 0\.2 %, fail at 0\.3 %/,
    )
  })
})
