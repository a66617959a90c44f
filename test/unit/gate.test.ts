import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { evaluateGate } from '../../src/gate/evaluate-gate.js'
import { holm } from '../../src/gate/holm.js'
import { mannWhitneyU, smallestPossibleP } from '../../src/gate/mann-whitney-u.js'
import { medianInterval } from '../../src/gate/median-interval.js'
import { type GatePair, pairResultSets } from '../../src/gate/pair-cells.js'
import { gateSchema } from '../../src/profile/schema.js'
import { renderGateMarkdown } from '../../src/report/render-gate-markdown.js'
import { renderGateTable } from '../../src/report/render-gate-table.js'
import { renderJunit } from '../../src/report/render-junit.js'
import { readResultSet } from '../../src/results/read-result-set.js'
import { type ResultSet, resultSchemaVersion } from '../../src/results/results-file-schema.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import { assertEvery } from '../assert-every.js'

describe('Mann-Whitney U against published values', () => {
  it('scipy.stats.mannwhitneyu docs: males [19,22,16,29,24] vs females [20,11,17,12] → U 17, exact p 0.1111', () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12])
    assert.equal(r.u, 17)
    assert.ok(r.exact)
    assert.ok(Math.abs(r.p - 0.1111) < 1e-4, String(r.p))
  })
  it('R wilcox.test docs (Hollander & Wolfe): W 35, two-sided exact p 0.2544', () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]
    const r = mannWhitneyU(x, y)
    assert.equal(r.u, 35)
    assert.ok(Math.abs(r.p - 0.2544) < 1e-4, String(r.p))
  })
  it('with ties, the normal approximation matches scipy 1.17 (asymptotic, continuity corrected): p 0.016157', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 8], [3, 4, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12])
    assert.equal(r.u, 33.5)
    assert.equal(r.exact, false)
    assert.ok(Math.abs(r.p - 0.016157362907866846) < 1e-6, String(r.p))
  })
  it('is symmetric, and completely separated samples give the smallest possible p', () => {
    assert.equal(mannWhitneyU([1, 2, 3], [4, 5, 6]).p, mannWhitneyU([4, 5, 6], [1, 2, 3]).p)
    assert.equal(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p, smallestPossibleP(5, 5))
    assert.ok(Math.abs(smallestPossibleP(5, 5) - 2 / 252) < 1e-12)
    assert.ok(Math.abs(smallestPossibleP(2, 2) - 1 / 3) < 1e-12, 'two trials each can never be significant')
  })
})

describe("Holm's correction", () => {
  it('multiplies the i-th smallest p by (m − i + 1) and keeps the result monotone, in input order', () => {
    // worked example: p = 0.01, 0.04, 0.03 (m = 3) → 0.03, 0.06, 0.06
    const adjusted = holm([0.01, 0.04, 0.03])
    assert.deepEqual(
      adjusted.map((p) => Number(p.toFixed(10))),
      [0.03, 0.06, 0.06],
    )
    assert.deepEqual(holm([0.5, 0.9]), [1, 1], 'capped at 1')
  })
})

describe('medianInterval', () => {
  it('uses order statistics: for 10 values, x(2)…x(9) with 97.9 % coverage', () => {
    const interval = medianInterval([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    assert.deepEqual([interval.low, interval.high], [2, 9])
    assert.ok(Math.abs(interval.confidence - 0.9785) < 1e-3, String(interval.confidence))
  })
  it('falls back to min…max, with its lower coverage, when there are too few values', () => {
    const interval = medianInterval([3, 1, 2])
    assert.deepEqual([interval.low, interval.high], [1, 3])
    assert.ok(Math.abs(interval.confidence - 0.75) < 1e-9)
  })
})

function sample(reqPerSec: number, latencyMs: number, errors = 0): TrialSample {
  const recorder = new LatencyRecorder()
  for (let i = 0; i < 200; i++) recorder.record(latencyMs * 1000 * (0.9 + (i % 20) / 100))
  const successes = Math.round(reqPerSec)
  return {
    successes,
    bytes: successes * 100,
    durationMs: 1000,
    errors: { ...emptyErrorCounts(), connect: errors },
    histogram: recorder.encode(),
  }
}

/** Trials around a value with a little deterministic jitter (±1.5 %), shuffled so there is no trend. */
function group(reqPerSec: number, latencyMs: number, n: number, errors = 0): TrialSample[] {
  const jitter = [0, 1, -1, 0.5, -0.5, 1.5, -1.5, 0.25, -0.25, 0.75]
  return Array.from({ length: n }, (_, i) => {
    const f = 1 + (jitter[i % jitter.length] ?? 0) / 100
    return sample(reqPerSec * f, latencyMs * f, errors)
  })
}

const config = gateSchema.parse({})
const pairOf = (baseline: TrialSample[], candidate: TrialSample[], paired = false): GatePair => ({
  cell: 'hello c=50',
  phase: 'hello',
  step: 0,
  label: 'c=50',
  baseline,
  candidate,
  paired,
})
const verdicts = (pairs: GatePair[]) => {
  const gate = evaluateGate(pairs, config, 'A', 'B')
  return { gate, by: Object.fromEntries(gate.rows.map((r) => [r.metric, r.verdict])) }
}

describe('evaluateGate', () => {
  it('passes A/A: the same distribution on both sides', () => {
    const { gate } = verdicts([pairOf(group(10_000, 5, 6), group(10_000, 5, 6))])
    assert.equal(gate.verdict, 'pass', JSON.stringify(gate.rows))
  })
  it('fails a real regression: 20 % slower and 20 % fewer req/s, significant after Holm', () => {
    const { gate, by } = verdicts([pairOf(group(10_000, 5, 6), group(8_000, 6, 6))])
    assert.equal(gate.verdict, 'regression')
    assert.deepEqual(by, { reqPerSec: 'fail', p50: 'fail', p99: 'fail', errorRate: 'pass' })
    const row = gate.rows.find((r) => r.metric === 'reqPerSec')
    assert.ok(row && Math.abs(row.changePct + 20) < 1, `change ${row?.changePct}`)
    assert.ok(row && row.pAdjusted !== null && row.pAdjusted < 0.05 && row.pAdjusted >= (row.p ?? 0))
  })
  it('does not fail a significant change below the practical threshold (−2 % req/s)', () => {
    const { by } = verdicts([pairOf(group(10_000, 5, 6), group(9_800, 5, 6))])
    assert.notEqual(by.reqPerSec, 'fail')
  })
  it('is inconclusive, never a pass, with 2 trials each — even for a large change', () => {
    const { gate } = verdicts([pairOf(group(10_000, 5, 2), group(5_000, 10, 2))])
    assert.equal(gate.verdict, 'inconclusive')
    assert.match(
      gate.rows[0]?.reason ?? '',
      /^too few trials: 2 against 2 cannot give a 98\.3 % interval \(alpha 0\.05 over 3 metrics\) — raise trials to 5 or more$/,
    )
  })
  it('with 8 trials a side, one stalled trial cannot widen the interval; a whole noisy group can, and is named', () => {
    // 98.3 % from 8 against 8 is the 10th of the 64 trial ratios from each end: the 8 ratios of one stalled trial
    // all lie beyond it. With 7 a side it is the 6th, and one stalled trial decides the low end.
    const oneLow = [10_000, 10_100, 6_800, 9_900, 10_050, 9_950, 10_020, 9_980].map((r) => sample(r, 5))
    assert.equal(verdicts([pairOf(group(10_000, 5, 8), oneLow)]).by.reqPerSec, 'pass')
    assert.equal(verdicts([pairOf(group(10_000, 5, 7), oneLow.slice(0, 7))]).by.reqPerSec, 'inconclusive')
    const noisy = [7000, 13000, 9000, 11000, 8000, 12000, 9500, 10500].map((r) => sample(r, 5))
    const { gate } = verdicts([pairOf(group(10_000, 5, 8), noisy)])
    assert.equal(gate.verdict, 'inconclusive')
    assert.match(
      gate.rows.find((r) => r.metric === 'reqPerSec')?.reason ?? '',
      /straddles fail at −5 %.* — candidate noisy \(robust CV \d+\.\d % > 10 %\) — raise trials/,
    )
  })
  it('a drift both sides share (trials run side by side) is the machine, not the change; unpaired, it is a drift', () => {
    const drift = [1.1, 1.08, 1.06, 1.04, 1.02, 1.0, 0.98, 0.96]
    const base = drift.map((f) => sample(10_000 * f, 5))
    const cand = drift.map((f) => sample(10_000 * f * 1.001, 5))
    const unpaired = verdicts([pairOf(base, cand, false)]).gate.rows[0]
    assert.equal(unpaired?.verdict, 'inconclusive')
    assert.match(unpaired?.reason ?? '', /^baseline drifts with trial order \(Spearman ρ -1\.00\)/)
    const paired = verdicts([pairOf(base, cand, true)]).gate.rows[0]
    assert.doesNotMatch(paired?.reason ?? '', /drifts/)
    assert.notEqual(paired?.verdict, 'fail')
  })
  it('warns when the interval reaches past warn but not past fail', () => {
    const { by, gate } = verdicts([pairOf(group(10_000, 5, 8), group(9_700, 5, 8))])
    assert.equal(by.reqPerSec, 'warn', gate.rows[0]?.reason)
    assert.equal(gate.verdict, 'pass', 'a warning does not fail the gate')
  })
  it('is inconclusive when the interval straddles fail: a 5 % drop measured with ±1.5 % noise', () => {
    const { by, gate } = verdicts([pairOf(group(10_000, 5, 8), group(9_500, 5, 8))])
    assert.equal(by.reqPerSec, 'inconclusive', gate.rows[0]?.reason)
    assert.match(
      gate.rows[0]?.reason ?? '',
      /straddles fail at −5 %: the trials cannot tell a regression from none — raise trials: the change lies about on the threshold, and no number of trials may settle it$/,
    )
  })
  it('says about how many trials a side might decide a straddling interval, from the spread seen', () => {
    const noisy = [1.03, 0.97, 1.02, 0.98, 1.0].map((f) => sample(9_700 * f, 5))
    const reason = verdicts([pairOf(group(10_000, 5, 5), noisy)]).gate.rows[0]?.reason ?? ''
    const needed = Number(reason.match(/raise trials: about (\d+) a side might decide it$/)?.[1])
    assert.ok(needed > 5 && needed < 100, reason)
  })
  it('records the change as a ratio with its interval; the U test and Holm as evidence beside it', () => {
    const row = verdicts([pairOf(group(10_000, 5, 6), group(8_000, 6, 6))]).gate.rows[0]
    assert.ok(row?.change && row.change.low !== null && row.change.high !== null)
    assert.ok(Math.abs(row.change.ratio - 0.8) < 0.005, String(row.change.ratio))
    assert.ok(row.change.low < 0.8 && row.change.high > 0.8 && row.change.high < 0.95)
    assert.ok(Math.abs(row.change.level - (1 - 0.05 / 3)) < 1e-12)
    assert.ok(row.change.confidence >= row.change.level)
    assert.equal(row.change.method, 'exact')
    assert.ok(row.pAdjusted !== null && row.p !== null && row.pAdjusted >= row.p)
  })
  it('is inconclusive when a group drifts with trial order', () => {
    const drifting = [10_000, 9_900, 9_800, 9_700, 9_600, 9_500, 9_400, 9_300].map((r) => sample(r, 5))
    const { by, gate } = verdicts([pairOf(group(10_000, 5, 8), drifting)])
    assert.equal(by.reqPerSec, 'inconclusive')
    assert.match(gate.rows[0]?.reason ?? '', /candidate drifts with trial order \(Spearman ρ -1\.00\)/)
  })
  it('pools the error rate over trials: one trial of nothing but errors is not hidden by a median', () => {
    const cand = group(10_000, 5, 6)
    cand[2] = {
      ...sample(0, 5),
      errors: { ...emptyErrorCounts(), status: { '502': 10_000 } },
    }
    assert.equal(verdicts([pairOf(group(10_000, 5, 6), cand)]).by.errorRate, 'fail') // 10,000 / ~60,000 ≈ 17 %
  })
  it('fails the error rate on its absolute limit, whatever the baseline', () => {
    const { by } = verdicts([pairOf(group(10_000, 5, 6, 0), group(10_000, 5, 6, 200))])
    assert.equal(by.errorRate, 'fail') // 200 / 10,200 ≈ 2 % ≥ 1 %
  })
})

describe('one family for the whole gate', () => {
  const cells = (n: number, size: number) =>
    Array.from({ length: n }, (_, i) => ({
      ...pairOf(group(10_000, 5, size), group(10_000, 5, size)),
      cell: `hello c=${i}`,
      step: i,
    }))
  it('by default spreads alpha over every tested metric of every cell: 3 cells, 9 metrics, 99.4 % intervals', () => {
    const gate = evaluateGate(cells(3, 8), config, 'A', 'B')
    assert.equal(gate.family, 'gate')
    assert.equal(gate.familySize, 9)
    assert.ok(Math.abs((gate.level ?? 0) - (1 - 0.05 / 9)) < 1e-12)
    const tested = gate.rows.filter((r) => r.change)
    assert.equal(tested.length, 9)
    assert.ok(tested.every((r) => r.change?.level === gate.level))
    assert.deepEqual(
      tested.map((r) => r.pAdjusted),
      holm(tested.map((r) => r.p ?? 1)),
      'Holm over all nine p-values',
    )
    assert.match(
      renderGateMarkdown(gate),
      /^intervals at 99\.4 %: alpha spread over the 9 tested metrics of the whole gate\.$/m,
    )
  })
  it('with family: cell, each cell is its own family of three', () => {
    const gate = evaluateGate(cells(3, 8), { ...config, family: 'cell' }, 'A', 'B')
    assert.equal(gate.familySize, 3)
    const first = gate.rows.filter((r) => r.change && r.step === 0)
    assert.deepEqual(
      first.map((r) => r.pAdjusted),
      holm(first.map((r) => r.p ?? 1)),
    )
    assertEvery(
      first,
      (r) => Math.abs((r.change?.level ?? 0) - (1 - 0.05 / 3)) < 1e-12,
      "the first step's metrics at a 98.3 % level",
    )
  })
  it('a wider family needs more trials, and says how many: 5 a side serve one cell, not three', () => {
    assert.notEqual(evaluateGate(cells(1, 5), config, 'A', 'B').rows[0]?.change?.low, null)
    const three = evaluateGate(cells(3, 5), config, 'A', 'B')
    assert.equal(three.verdict, 'inconclusive')
    assert.match(
      three.rows[0]?.reason ?? '',
      /^too few trials: 5 against 5 cannot give a 99\.4 % interval \(alpha 0\.05 over 9 metrics\) — raise trials to 6 or more$/,
    )
  })
})

describe('gate outputs', () => {
  const { gate } = verdicts([pairOf(group(10_000, 5, 6), group(8_000, 6, 6))])
  it('JUnit: one testcase per gated metric per cell, fails as <failure>', () => {
    const xml = renderJunit(gate)
    assert.equal((xml.match(/<testcase /g) ?? []).length, 4)
    assert.match(xml, /<testsuites name="bench gate" tests="4" failures="3" skipped="0">/)
    assert.match(
      xml,
      /<testcase classname="bench.gate" name="hello c=50 req\/s"><failure message="10,0\d\d req\/s → 8,0\d\d req\/s \(-20.0 %\): req\/s worse by 20.0 % \(98.3 % CI −2\d\.\d … −1\d\.\d %\): all of it past fail at −5 %/,
    )
  })
  it('terminal: fitted to 80 columns (cell, metric, change and verdict first, the reason below), whole without a width', () => {
    const fitted = renderGateTable(gate, 80)
    const lines = fitted.split('\n')
    assert.ok(
      lines.every((l) => l.length <= 80),
      fitted,
    )
    assert.match(lines.find((l) => l.includes('│ cell')) ?? '', /│ cell +│ metric +│ change +│ verdict +│/)
    assert.match(fitted, /FAIL/)
    assert.match(fitted, /gate verdict: REGRESSION/)
    const whole = renderGateTable(gate).split('\n')
    assert.ok(
      whole.some((l) => l.length > 80 && l.includes('why')),
      'all nine columns on one row',
    )
  })
  it('Markdown: a headline and a table row per metric', () => {
    const md = renderGateMarkdown(gate)
    assert.match(md, /^### bench gate: ❌ regression/)
    assert.equal((md.match(/^\| hello c=50 \|/gm) ?? []).length, 4)
    assert.match(
      md,
      /^\| cell \| metric \| baseline \| candidate \| change \| 98\.3 % CI \| p \(Holm\) \| verdict \|$/m,
    )
    assert.match(
      md,
      /^\| hello c=50 \| req\/s \| 10,0\d\d req\/s \| 8,0\d\d req\/s \| -20\.0 % \| −2\d\.\d … −1\d\.\d % \|/m,
    )
  })
})

function resultSet(cells: [string, string, number][]): ResultSet {
  return {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: '0' },
    status: 'complete',
    profile: { name: 'p', file: 'p.yml', sha256: '0' },
    startedAt: '2026-01-01T00:00:00Z',
    environment: {
      node: 'v20',
      platform: 'linux',
      kernel: 'k',
      cpuModel: 'c',
      cpuCount: 2,
      memoryGiB: 1,
      versions: {},
      gitCommit: null,
    },
    stackRuns: [],
    trials: cells.map(([stack, phase, step]) => ({
      stack,
      phase,
      step,
      loop: 'closed',
      connections: 50,
      pipelining: 1,
      trial: 0,
      status: 'ok',
      sample: sample(1000, 5),
    })),
    cells: [],
    warnings: [],
  }
}

describe('comparing against a stored result', () => {
  it('matches cells by stack, phase and step', () => {
    const pairs = pairResultSets(
      resultSet([
        ['node', 'hello', 0],
        ['nginx', 'hello', 0],
      ]),
      resultSet([
        ['nginx', 'hello', 0],
        ['node', 'hello', 0],
      ]),
    )
    assert.deepEqual(pairs.map((p) => p.cell).sort(), ['nginx hello c=50', 'node hello c=50'])
  })
  it('names the cells that are in only one of the two', () => {
    assert.throws(
      () =>
        pairResultSets(
          resultSet([
            ['node', 'hello', 0],
            ['node', 'hello', 1],
          ]),
          resultSet([
            ['node', 'hello', 0],
            ['haproxy', 'hello', 0],
          ]),
        ),
      (error: BenchError) =>
        error.kind === 'input' &&
        error.message ===
          'the two results do not hold the same cells — only in the current result: node / hello / step 1. only in the baseline: haproxy / hello / step 0',
    )
  })
})

describe('readResultSet refuses what is not a bench results file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-'))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const refuses = (path: string, message: RegExp) =>
    assert.throws(
      () => readResultSet(path, 'baseline'),
      (e: BenchError) => e instanceof BenchError && e.kind === 'input' && message.test(e.message),
    )

  it('a missing file', () =>
    refuses(join(dir, 'nope.json'), /cannot read the baseline .*nope\.json: no such file/))
  it('a file that is not JSON', () => refuses(file('a.json', '{ oops'), /the baseline .*a\.json is not JSON/))
  it('JSON that is not a results file', () =>
    refuses(file('b.json', '{"hello": 1}'), /is not a bench results file \(it has no schemaVersion\)/))
  it('another schema version', () =>
    refuses(
      file('c.json', '{"schemaVersion": 1}'),
      /has results schema version 1; this bench reads version 3/,
    ))
  it('a damaged results file, naming the field', () => {
    const broken = { ...resultSet([['node', 'hello', 0]]), trials: [{ stack: 'node' }] }
    refuses(file('d.json', JSON.stringify(broken)), /is not a valid bench results file: trials\[0\]\.phase: /)
  })
  it('accepts a valid one', () => {
    assert.equal(
      readResultSet(file('e.json', JSON.stringify(resultSet([['node', 'hello', 0]]))), 'baseline').trials
        .length,
      1,
    )
  })
})

describe('CPU per request, per tier', () => {
  /** Tiers' CPU seconds for a trial that served `successes` (sample(): 1 s trials) at `msPerRequest` each. */
  const usage = (successes: number, app: number, proxy: number, wobble: number) => [
    { tier: 'app', cpuPercent: 0, peakRssMb: 0, cpuSeconds: (successes * app * wobble) / 1000 },
    { tier: 'nginx', cpuPercent: 0, peakRssMb: 0, cpuSeconds: (successes * proxy * wobble) / 1000 },
  ]
  const wobbles = [1, 1.004, 0.997, 1.002, 0.999, 1.003, 0.996, 1.001, 0.998, 1.005, 0.995, 1.0015]
  const cell = (appCost: number) => {
    const baseline = group(10_000, 5, 12)
    const candidate = group(10_000, 5, 12)
    return {
      ...pairOf(baseline, candidate, true),
      baselineResources: baseline.map((s, i) => usage(s.successes, 0.4, 0.1, wobbles[i] ?? 1)),
      candidateResources: candidate.map((s, i) =>
        usage(s.successes, 0.4 * appCost, 0.1, (wobbles[(i + 5) % 12] ?? 1) * 1.0005),
      ),
    }
  }
  it('gates each tier: an app 8 % costlier per request fails, its proxy passes, and the tables name the tier', () => {
    const gate = evaluateGate([cell(1.08)], config, 'A', 'B')
    const cpu = gate.rows.filter((r) => r.metric === 'cpuPerRequest')
    assert.deepEqual(
      cpu.map((r) => [r.tier, r.verdict]),
      [
        ['app', 'fail'],
        ['nginx', 'pass'],
      ],
    )
    assert.equal(gate.verdict, 'regression')
    assert.equal(gate.familySize, 5, 'req/s, p50, p99 and two tiers')
    assert.ok(Math.abs((cpu[0]?.baselineMedian ?? 0) - 0.4) < 0.01, 'ms of CPU per response')
    assert.equal(cpu[0]?.change?.paired, true)
    assert.match(renderGateMarkdown(gate), /CPU\/request \(app\) \| 0\.400 ms CPU/)
    assert.match(renderJunit(gate), /name="hello c=50 CPU\/request \(nginx\)"/)
    assert.match(renderGateTable(gate), /CPU\/request \(app\).*FAIL/)
  })
  it('the same cost passes; a tier missing from one trial, or busy under 0.5 s in one, is not gated', () => {
    const same = evaluateGate([cell(1)], config, 'A', 'B')
    assert.ok(same.rows.filter((r) => r.metric === 'cpuPerRequest').every((r) => r.verdict === 'pass'))
    const missing = cell(1)
    missing.candidateResources[3] = []
    assert.equal(
      evaluateGate([missing], config, 'A', 'B').rows.filter((r) => r.metric === 'cpuPerRequest').length,
      0,
    )
    const idle = cell(1)
    idle.baselineResources[2] = usage(idle.baseline[2]?.successes ?? 0, 0.4, 0.04, 1) // nginx: 0.4 s
    assert.deepEqual(
      evaluateGate([idle], config, 'A', 'B')
        .rows.filter((r) => r.metric === 'cpuPerRequest')
        .map((r) => r.tier),
      ['app'],
    )
  })
})
