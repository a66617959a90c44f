import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type AutoTrialsState, autoTrials } from '../../src/cli/auto-trials.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { renderPlan } from '../../src/report/render-plan.js'
import { type ResultSet, resultSchemaVersion } from '../../src/results/results-file-schema.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'

function profileOf(...lines: string[]): Profile {
  const result = parseProfile(`${lines.join('\n')}\n`)
  if (!result.ok) assert.fail(JSON.stringify(result.issues, null, 2))
  return result.profile
}

const autoProfile = (...extra: string[]) =>
  profileOf(
    'name: auto',
    'trials: auto',
    ...extra,
    'stacks:',
    '  - { name: A, url: "http://127.0.0.1:8001" }',
    '  - { name: B, url: "http://127.0.0.1:8002" }',
    'gate: { baseline: A, candidate: B }',
    'phases:',
    '  - { name: p, connections: 10, duration: 2s }',
  )

function sample(reqPerSec: number, latencyMs: number): TrialSample {
  const recorder = new LatencyRecorder()
  for (let i = 0; i < 50; i++) recorder.record(latencyMs * 1000 * (0.95 + (i % 10) / 100))
  return {
    successes: Math.round(reqPerSec),
    bytes: 0,
    durationMs: 1000,
    errors: { ...emptyErrorCounts() },
    histogram: recorder.encode(),
  }
}

const emptyResults = (): ResultSet => ({
  schemaVersion: resultSchemaVersion,
  tool: { name: 'bench', version: '0' },
  status: 'running',
  profile: { name: 'auto', file: 'auto.yml', sha256: '0' },
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
  trials: [],
  cells: [],
  warnings: [],
})

/** Drives the generator as runPlan does: records each run's trial before asking for the next; 10 s per run. */
function drive(
  profile: Profile,
  value: (stack: string, trial: number) => { reqPerSec: number; p50: number },
) {
  const plan = buildPlan(profile, { cpuCount: 2 })
  const results = emptyResults()
  const state: AutoTrialsState = { stoppedBy: 'max trials' }
  let clock = 0
  const gate = profile.gate as NonNullable<Profile['gate']> & { baseline: string; candidate: string }
  const taken: string[] = []
  const auto = autoTrials(plan, gate, state, () => clock)
  for (const run of auto.runs) {
    taken.push(`${run.trial}${run.stack.name}`)
    const v = value(run.stack.name, run.trial)
    const trial: TrialRecord = {
      stack: run.stack.name,
      phase: 'p',
      step: 0,
      loop: 'closed',
      connections: 10,
      pipelining: 1,
      trial: run.trial,
      status: 'ok',
      sample: sample(v.reqPerSec, v.p50),
    }
    results.trials.push(trial)
    auto.observe({ kind: 'step', ...trial })
    clock += 10_000
  }
  return { state, taken, trials: Math.max(...results.trials.map((t) => t.trial)) + 1 }
}

/** Up to ±4 % from trial to trial, on both sides alike but out of step: too wide for a 5 % threshold. */
const wobble = (trial: number) => 1 + ([0.04, -0.04, 0.02, -0.02, 0.03, -0.03, 0.01, -0.01][trial % 8] ?? 0)

describe('trials: auto', () => {
  it('the profile: trials auto with minTrials 6 and maxTrials 20 by default, and the plan holds 20 trials', () => {
    const profile = autoProfile()
    assert.equal(profile.trials, 'auto')
    assert.deepEqual([profile.minTrials, profile.maxTrials, profile.budget], [6, 20, undefined])
    const plan = buildPlan(profile, { cpuCount: 2 })
    assert.equal(plan.runs.length, 40)
    assert.deepEqual(plan.auto, { minTrials: 6, maxTrials: 20 })
    assert.match(
      renderPlan(plan),
      /: 40 stack runs, 40 measured steps, 6 to 20 trials \(auto\), about \S+ at most$/m,
    )
  })
  it('is refused without an A/B gate, and with minTrials above maxTrials', () => {
    const without = parseProfile(
      'name: x\ntrials: auto\nstacks:\n  - { name: A, url: "http://127.0.0.1:8001" }\nphases:\n  - { name: p, connections: 1, duration: 1s }\n',
    )
    assert.ok(!without.ok)
    assert.match(
      JSON.stringify(without.issues),
      /trials: auto adds trials until the A\/B gate decides, and there is no A\/B gate/,
    )
    const inverted = parseProfile(
      'name: x\ntrials: auto\nminTrials: 9\nmaxTrials: 8\nstacks:\n  - { name: A, url: "http://127.0.0.1:8001" }\n  - { name: B, url: "http://127.0.0.1:8002" }\ngate: { baseline: A, candidate: B }\nphases:\n  - { name: p, connections: 1, duration: 1s }\n',
    )
    assert.ok(!inverted.ok)
    assert.match(JSON.stringify(inverted.issues), /minTrials \(9\) is more than maxTrials \(8\)/)
  })
  it('stops at minTrials when the first look decides: a clear regression', () => {
    const run = drive(autoProfile(), (stack) =>
      stack === 'B' ? { reqPerSec: 6_000, p50: 9 } : { reqPerSec: 10_000, p50: 5 },
    )
    assert.equal(run.state.stoppedBy, 'decision')
    assert.equal(run.trials, 6)
    assert.deepEqual(run.taken.slice(0, 4), ['0A', '0B', '1B', '1A'], 'pairs interleaved A B, B A')
  })
  it('goes on to maxTrials while the gate cannot tell, and stops at the budget when one is set', () => {
    const noisy = (stack: string, trial: number) => {
      const f = wobble(trial + (stack === 'B' ? 3 : 0))
      return { reqPerSec: 10_000 * f, p50: 5 / f }
    }
    const unbounded = drive(autoProfile('maxTrials: 8'), noisy)
    assert.equal(unbounded.state.stoppedBy, 'max trials')
    assert.equal(unbounded.trials, 8)
    // 10 s a run, 20 s a pair: after 7 trials (140 s) an 8th would end at 160 s, past 150 s
    const budgeted = drive(autoProfile('maxTrials: 20', 'budget: 150s'), noisy)
    assert.equal(budgeted.state.stoppedBy, 'budget')
    assert.equal(budgeted.trials, 7)
  })
})
