import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { analyzeScaling } from '../../src/capacity/analyze-scaling.js'
import type { SearchStep } from '../../src/capacity/capacity-result-schema.js'
import { findKnee } from '../../src/capacity/find-knee.js'
import { uslThroughput } from '../../src/capacity/fit-usl.js'
import { judgeSearchStep } from '../../src/capacity/judge-search-step.js'
import type { SearchSettings } from '../../src/capacity/next-search-step.js'
import { planCapacity } from '../../src/capacity/plan-capacity.js'
import { simulateSearch } from '../../src/capacity/simulate-search.js'
import { planScaling } from '../../src/plan/plan-scaling.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { renderCapacityPlan } from '../../src/report/render-capacity-plan.js'
import type { CellRecord } from '../../src/stats/trial-record-schema.js'
import { assertEvery } from '../assert-every.js'

type Outcome = SearchStep['outcome']
type Step = Pick<SearchStep, 'rate' | 'kind' | 'outcome'>

const settings: SearchSettings = { startRate: 100, maxRate: 100_000, precision: 0.02, maxSteps: 40 }

/** Runs the search against a stack whose truth is `judge(rate, kind)`, to its end. */
function search(judge: (rate: number, kind: Step['kind']) => Outcome, options = settings) {
  const result = simulateSearch(options, judge)
  assert.ok(result.steps.length <= options.maxSteps, 'the search is bounded')
  return result
}

describe('nextSearchStep', () => {
  it('doubles until a failure, bisects to 2 %, confirms, and reports the bracket', () => {
    const { steps, done } = search((rate) => (rate <= 1234 ? 'pass' : 'fail'))
    assert.deepEqual(
      steps.slice(0, 6).map((s) => [s.kind, s.rate]),
      [
        ['double', 100],
        ['double', 200],
        ['double', 400],
        ['double', 800],
        ['double', 1600],
        ['bisect', 1200],
      ],
    )
    assert.equal(done.status, 'found')
    assert.ok(done.maxRate !== null && done.failRate !== null)
    assert.ok(done.maxRate <= 1234 && done.failRate > 1234, JSON.stringify(done))
    assert.ok((done.failRate - done.maxRate) / done.maxRate <= 0.02)
    const last = steps[steps.length - 1] as Step
    assert.deepEqual([last.kind, last.rate, last.outcome], ['confirm', done.maxRate, 'pass'])
  })

  it('never counts a suspect step as a pass: a generator-bound limit is reported as such', () => {
    const { done, steps } = search((rate) => (rate <= 700 ? 'pass' : 'suspect'))
    assert.equal(done.status, 'generator-bound')
    assert.match(done.note ?? '', /the generator, not the stack, missed the SLO/)
    assert.ok(done.maxRate !== null && done.maxRate <= 700)
    assertEvery(steps, (s) => s.outcome !== 'pass' || s.rate <= 700, 'no step above 700 passes')
    // a rate found suspect is run three times in all, then the search moves on
    const first = steps.findIndex((s) => s.outcome === 'suspect')
    assert.deepEqual(
      steps.slice(first, first + 3).map((s) => [s.rate, s.outcome]),
      Array.from({ length: 3 }, () => [steps[first]?.rate, 'suspect']),
    )
    assert.notEqual(steps[first + 3]?.rate, steps[first]?.rate)
  })

  it('runs a suspect step up to twice more, and the last run stands: hiccups do not end the search', () => {
    let hiccups = 2
    const { done, steps } = search((rate) => {
      if (rate === 400 && hiccups > 0) {
        hiccups--
        return 'suspect' // the generator (or the VM) stalled, twice in a row
      }
      return rate <= 1234 ? 'pass' : 'fail'
    })
    assert.deepEqual(
      steps.slice(2, 6).map((s) => [s.kind, s.rate, s.outcome]),
      [
        ['double', 400, 'suspect'],
        ['double', 400, 'suspect'],
        ['double', 400, 'pass'],
        ['double', 800, 'pass'],
      ],
    )
    assert.equal(done.status, 'found')
    assert.ok(done.maxRate !== null && done.maxRate > 1200)
  })

  it('halves from the start when the first step fails, and gives up below 1/1024 of it', () => {
    const low = search((rate) => (rate <= 30 ? 'pass' : 'fail'))
    assert.deepEqual(
      low.steps.slice(0, 3).map((s) => [s.kind, s.rate]),
      [
        ['double', 100],
        ['halve', 50],
        ['halve', 25],
      ],
    )
    assert.equal(low.done.status, 'found')
    assert.ok(low.done.maxRate !== null && low.done.maxRate <= 30 && low.done.maxRate >= 29)
    const never = search(() => 'fail')
    assert.equal(never.done.status, 'none')
    assert.equal(never.done.maxRate, null)
  })

  it('stops doubling at maxRate and reports a stack still within the SLO there as at-limit', () => {
    const { done, steps } = search(() => 'pass', { ...settings, maxRate: 1000 })
    assert.equal(done.status, 'at-limit')
    assert.match(done.note ?? '', /capacity.maxRate \(1000 req\/s\)/)
    assert.equal(done.maxRate, 1000)
    assert.deepEqual(
      steps.map((s) => s.rate),
      [100, 200, 400, 800, 1000, 1000],
    )
  })

  it('re-opens the bracket when the confirmation fails, and trusts no pass above a failure', () => {
    let lucky = true
    const { done, steps } = search((rate) => {
      if (rate === 1600 && lucky) {
        lucky = false
        return 'pass' // a lucky moment: the confirmation at 1,600 fails and re-opens the bracket below
      }
      return rate <= 1100 ? 'pass' : 'fail'
    })
    assert.equal(done.status, 'found')
    assert.ok(done.maxRate !== null && done.maxRate <= 1100 && done.maxRate >= 1050, JSON.stringify(done))
    assert.equal(steps.filter((s) => s.kind === 'confirm').length, 2)
  })

  it('gives up after maxSteps on a stack that never confirms', () => {
    const { done, steps } = search((rate, kind) => (kind !== 'confirm' && rate <= 1000 ? 'pass' : 'fail'), {
      ...settings,
      maxSteps: 12,
    })
    assert.equal(steps.length, 12)
    assert.equal(done.status, 'none')
    assert.match(done.note ?? '', /12 steps/)
  })

  it('never runs a retry past maxSteps: the bound holds when the last step is suspect', () => {
    // 100 ×3 (two retries), then 50 ×2: the fifth step is suspect but no sixth runs
    const { done, steps } = search(() => 'suspect', { ...settings, maxSteps: 5 })
    assert.deepEqual(
      steps.map((s) => s.rate),
      [100, 100, 100, 50, 50],
    )
    assert.equal(done.status, 'none')
  })
})

describe('findKnee', () => {
  it('finds where latency turns up on a hockey stick, and nothing on a straight line', () => {
    const curve = [100, 200, 400, 800, 1200, 1400, 1600].map((rate) => ({
      rate,
      latency: rate <= 1200 ? 2 + rate / 1000 : 2 + (rate - 1200) ** 2 / 1000,
      pass: true,
    }))
    assert.equal(findKnee(curve)?.rate, 1200)
    // a lucky step past the turn (better than the one before it) is not the knee
    const noisy = [...curve, { rate: 1800, latency: 60, pass: true }, { rate: 2000, latency: 30, pass: true }]
    assert.equal(findKnee(noisy)?.rate, 1200)
    assert.equal(findKnee(curve.slice(0, 2)), undefined)
    assert.equal(findKnee([1, 2, 3].map((r) => ({ rate: r, latency: r, pass: true }))), undefined)
  })

  it("puts node alone's knee where p99 turned up, not above the rate it sustained (steps past the SLO are backlog)", () => {
    // bench capacity on node alone (p99 < 50 ms): doubling from 500 passed 16,000 at p99 1.1 ms and 32,000 at
    // 35 ms, broke at 64,000 and 48,000 (108 ms), bisected to 39,500 within the SLO. The report said
    // "48,000 @ 108 ms": the 64,000 step's seconds of backlog flattened the curve below it.
    const p = (rate: number, latency: number, pass = true) => ({ rate, latency, pass })
    const steps = [
      p(500, 0.9),
      p(1000, 0.9),
      p(2000, 1),
      p(4000, 1),
      p(8000, 1),
      p(16_000, 1.1),
      p(32_000, 35),
      p(64_000, 4200, false),
      p(48_000, 108, false),
      p(40_000, 62, false),
      p(36_000, 38),
      p(38_000, 41),
      p(39_000, 44),
      p(39_500, 47),
      p(39_500, 46), // the confirmation
    ]
    const knee = findKnee(steps)
    assert.deepEqual(knee, p(16_000, 1.1))
    // however the steps past the SLO look, the knee is a step that met it
    for (const backlog of [200, 4200, 60_000]) {
      const k = findKnee(steps.map((s) => (s.rate === 64_000 ? { ...s, latency: backlog } : s)))
      assert.ok(k?.pass && k.rate <= 39_500, `knee ${k?.rate} with ${backlog} ms at 64,000`)
    }
    // within the SLO and flat until the first failure: the knee is the highest step that met it
    const flat = [p(1000, 1), p(2000, 1.1), p(4000, 1.2), p(8000, 1.2), p(16_000, 300, false)]
    assert.equal(findKnee(flat)?.rate, 8000)
    // flat throughout (latency never doubles): no knee to report
    assert.equal(findKnee(flat.slice(0, 4)), undefined)
  })
})

describe('analyzeScaling', () => {
  const truth = { lambda: 1000, sigma: 0.08, kappa: 0.01 }
  const points = [1, 2, 3, 4, 6, 8].map((n) => ({
    n,
    reqPerSec: uslThroughput(truth, n) * (1 + 0.01 * Math.sin(n)),
    reqPerSecCv: 0.02,
  }))

  it('fits the USL, computes the marginal gain, N*, the efficient count and the sizing', () => {
    const result = analyzeScaling({ points, target: 20_000, headroom: 0.75 })
    assert.ok(result.fit)
    assert.ok(Math.abs(result.fit.sigma - truth.sigma) < 0.02, `σ ${result.fit.sigma}`)
    assert.ok(result.fit.peakN !== null && Math.abs(result.fit.peakN - Math.sqrt(0.92 / 0.01)) < 1.5)
    const [one, two] = result.points
    assert.equal(one?.marginal, null)
    assert.ok(two && Math.abs((two.marginal ?? 0) - ((two.reqPerSec ?? 0) - (one?.reqPerSec ?? 0))) < 1e-9)
    assert.ok(result.efficientN !== null && result.efficientN <= Math.ceil(result.fit.peakN))
    // the peak is ~4,700 req/s: 20,000 at 75 % needs ceil(20000 / (X(efficient) × 0.75)) machines
    const rec = result.recommended
    assert.ok(rec && rec.machines >= 5 && rec.machines <= 7, JSON.stringify(rec))
    const small = analyzeScaling({ points, target: 2000, headroom: 0.75 })
    // X(3) ≈ 2,460 × 0.75 < 2,000 ≤ X(4) ≈ 2,940 × 0.75
    assert.deepEqual([small.recommended?.n, small.recommended?.machines], [4, 1])
    // the efficient count lies past the 8 measured, and says so
    assert.deepEqual(result.warnings.length, 1)
    assert.match(result.warnings[0] ?? '', /beyond the largest count measured \(8\)/)
  })

  it('warns about too few counts, a peak far beyond the data and a missing point', () => {
    const few = analyzeScaling({ points: points.slice(0, 3), headroom: 0.75 })
    assert.equal(few.fit, null)
    assert.match(few.warnings.join('\n'), /at least 6/)
    const nearLinear = [1, 2, 3, 4].map((n) => ({
      n,
      reqPerSec: uslThroughput({ lambda: 1000, sigma: 0.01, kappa: 1e-5 }, n),
      reqPerSecCv: 0,
    }))
    const far = analyzeScaling({
      points: [...nearLinear, { n: 5, reqPerSec: null, reqPerSecCv: 0 }],
      headroom: 0.75,
    })
    const text = far.warnings.join('\n')
    assert.match(text, /far beyond the largest count measured/)
    assert.match(text, /no throughput measured at 5/)
  })
})

describe('judgeSearchStep', () => {
  const cell = (p99: number, achieved: number, elu: number, errorPercent = 0, lag = 0.1): CellRecord =>
    ({
      stack: 's',
      phase: 'p',
      step: 0,
      loop: 'open',
      connections: 64,
      pipelining: 1,
      status: 'ok',
      failures: [],
      stats: {
        reqPerSec: achieved,
        errorPercent,
        generator: { threads: 1, cpuPercent: 50, eventLoopUtilization: elu },
        open: {
          targetRate: 1000,
          corrected: { count: 1, p50: 1, p90: 2, p99, p999: p99, max: p99, mean: 1 },
          sendLag: { count: 1, p50: 0, p90: 0, p99: lag, p999: lag, max: lag, mean: 0 },
          blocked: 0,
        },
      },
    }) as unknown as CellRecord
  const slo = { p99: 50, errorRate: 0.1 }
  it('passes within the SLO, fails past it or below 95 % achieved, and is suspect when the generator is busy', () => {
    assert.equal(judgeSearchStep(cell(20, 990, 0.5), slo).outcome, 'pass')
    assert.deepEqual(judgeSearchStep(cell(60, 990, 0.5), slo), {
      outcome: 'fail',
      reasons: ['p99 60 ms > 50 ms'],
    })
    assert.equal(judgeSearchStep(cell(20, 900, 0.5), slo).outcome, 'fail')
    assert.equal(judgeSearchStep(cell(20, 990, 0.5, 0.2), slo).outcome, 'fail')
    assert.equal(judgeSearchStep(cell(20, 990, 0.95), slo).outcome, 'suspect')
    // a late generator: its lateness is inside the corrected latency, so it decides a broken p99
    assert.equal(judgeSearchStep(cell(60, 990, 0.5, 0, 8), slo).outcome, 'fail') // 8 ms of 50: the stack's
    assert.equal(judgeSearchStep(cell(60, 990, 0.5, 0, 30), slo).outcome, 'suspect') // 30 ms of 50: the generator's
    assert.equal(judgeSearchStep(cell(20, 990, 0.5, 0, 30), slo).outcome, 'pass') // within the SLO even so
    // 193 ms where the generator was 19 ms late: the stack's, far past what the lateness explains
    assert.equal(judgeSearchStep(cell(193, 990, 0.5, 0, 19), slo).outcome, 'fail')
    // the lateness could explain the p99, but a backlog of unanswered requests is the stack's
    assert.equal(judgeSearchStep(cell(60, 900, 0.5, 0, 30), slo).outcome, 'fail')
  })
})

describe('planScaling', () => {
  it('expands each swept stack into one variant per count, with only the closed-loop phases', () => {
    const parsed = parseProfile(
      `
name: s
scaling: { workers: [4, 1, 2, 2], stacks: [a] }
apps:
  x: { command: node, args: [x.js, "{port}"], workerArgs: [-w, "{workers}"] }
stacks:
  - { name: a, app: x }
  - { name: b, app: x }
phases:
  - { name: c, connections: 8, duration: 1s }
  - { name: o, rate: 10, duration: 1s }
`,
      { allowRemote: false, env: {} },
    )
    assert.ok(parsed.ok, JSON.stringify(parsed))
    const plan = planScaling(parsed.profile)
    assert.deepEqual(
      plan?.profile.stacks.map((s) => [s.name, s.workers]),
      [
        ['a-w1', 1],
        ['a-w2', 2],
        ['a-w4', 4],
      ],
    )
    assert.deepEqual(
      plan?.profile.phases.map((p) => p.name),
      ['c'],
    )
  })
})

describe('planCapacity', () => {
  const parsed = parseProfile(
    `
name: cap
slo: { p99: 50ms }
scaling: { workers: [1, 2] }
trials: 2
apps:
  x: { command: node, args: [x.js, "{port}"], workerArgs: [-w, "{workers}"] }
stacks:
  - { name: a, app: x }
  - { name: b, app: x, proxy: nginx }
phases:
  - { name: c, connections: 8, duration: 1s }
  - { name: o, rate: 500, duration: 3s, warmup: 1s }
`,
    { allowRemote: false, env: {} },
  )
  assert.ok(parsed.ok, JSON.stringify(parsed))
  const plan = planCapacity(parsed.profile, { cpuCount: 2 })

  it('costs the search by running its rules against stacks of a few limits, and bounds it', () => {
    assert.deepEqual(
      plan.search?.examples.map((e) => [e.limit, e.steps, e.status]),
      [
        // 500, 1000, 2000 ✗, then bisecting down to 1016 ✗ (1.6 % above 1000), then the confirmation
        [1_000, 10, 'found'],
        [10_000, 13, 'found'],
        // doubling stops at capacity.maxRate: 500 × 2^7 = 64,000, then 100,000, then the confirmation
        [100_000, 10, 'at-limit'],
      ],
    )
    // 1.5 s for the stack, 9 steps of 1 s warm-up + 3 s and a 6 s confirmation, 0.2 s apiece
    assert.equal(plan.search?.examples[0]?.ms, 1500 + 9 * 4200 + 7200)
    assert.equal(plan.search?.worstMsPerStack, 1500 + 40 * 7200)
    assert.equal(plan.sweep?.plan.runs.length, 2 * 2 * 2, 'two stacks × two counts × two trials')
    assert.deepEqual(
      plan.sweep?.plan.runs[0]?.steps.map((s) => s.phase),
      ['c'],
      'closed-loop phases only',
    )
    const sweepMs = plan.sweep?.plan.estimatedMs ?? 0
    assert.equal(plan.estimatedMs.low, 2 * (1500 + 9 * 4200 + 7200) + sweepMs)
    assert.equal(plan.worstMs, 2 * (1500 + 40 * 7200) + sweepMs)
  })

  it('renders the rules, the costs and the sweep', () => {
    const text = renderCapacityPlan(plan)
    assert.match(text, /^bench capacity "cap": about 1m55s–2m20s on a quiet machine, at most 10m01s\n/)
    assert.match(text, /SLO search \(p99 ≤ 50 ms\) on 2 stack\(s\)/)
    assert.match(text, /b: nginx → app x\n/)
    assert.match(
      text,
      /each step: open loop uniform, ≤256 connections, 1 generator, 1s warm-up \+ 3s \(a confirmation 6s\)/,
    )
    assert.match(text, /100,000 req\/s: 10 steps, about 47s \(reported as ≥ 100,000 req\/s\)/)
    assert.match(text, /scaling sweep: a, b at workers 1, 2/)
    assert.match(text, /a-w1: app x \(1 worker\)/)
  })
})
