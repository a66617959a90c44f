import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ClosedLoadSpec, LoadSpec } from '../../src/load/contract/load-spec.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import { endpointLabels, expandRequestMix } from '../../src/plan/expand-request-mix.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile, RequestSpec } from '../../src/profile/schema.js'
import { assertEvery } from '../assert-every.js'

function profileOf(...lines: string[]): Profile {
  const result = parseProfile(`${lines.join('\n')}\n`)
  if (!result.ok) assert.fail(`test profile is invalid: ${JSON.stringify(result.issues, null, 2)}`)
  return result.profile
}

/** Three url stacks (nothing is launched by buildPlan) and the given phases. */
function threeStacks(trials: number, ...phaseLines: string[]): Profile {
  return profileOf(
    'name: plan-test',
    `trials: ${trials}`,
    'stacks:',
    '  - { name: A, url: "http://127.0.0.1:8001" }',
    '  - { name: B, url: "http://127.0.0.1:8002" }',
    '  - { name: C, url: "http://127.0.0.1:8003" }',
    'phases:',
    ...phaseLines,
  )
}

const ladderPhases = [
  '  - name: ladder',
  '    connections: [10, 100, 1000]',
  '    duration: 4s',
  '    warmup: 1500ms',
  '    pipelining: 2',
  '    timeout: 3s',
  '  - { name: single, connections: 5, duration: 250ms, warmup: 1 }',
]

/** A 2-core machine: one generator thread by default. */
const cpus2 = { cpuCount: 2 }

/** The closed-loop fields of a load (these plans have closed-loop phases only). */
function closed(load: LoadSpec): ClosedLoadSpec {
  assert.equal(load.loop, 'closed')
  return load as ClosedLoadSpec
}

describe('buildPlan', () => {
  it('alternates the stack order between trials: A B C, C B A, A B C', () => {
    const plan = buildPlan(threeStacks(3, ...ladderPhases), cpus2)
    assert.equal(plan.trials, 3)
    assert.equal(plan.profile, 'plan-test')
    assert.deepEqual(
      plan.runs.map((r) => `${r.trial}:${r.stack.name}`),
      ['0:A', '0:B', '0:C', '1:C', '1:B', '1:A', '2:A', '2:B', '2:C'],
    )
  })

  it('does not reorder the profile itself', () => {
    const profile = threeStacks(2, ...ladderPhases)
    buildPlan(profile, cpus2)
    assert.deepEqual(
      profile.stacks.map((s) => s.name),
      ['A', 'B', 'C'],
    )
  })

  it('gives each stack run one step per ladder entry of every phase, in order', () => {
    const plan = buildPlan(threeStacks(1, ...ladderPhases), cpus2)
    for (const run of plan.runs) {
      assert.deepEqual(
        run.steps.map((s) => [s.phase, s.step, closed(s.load).connections]),
        [
          ['ladder', 0, 10],
          ['ladder', 1, 100],
          ['ladder', 2, 1000],
          ['single', 0, 5],
        ],
      )
    }
  })

  it('carries the phase settings into every load, in milliseconds', () => {
    const [first] = buildPlan(threeStacks(1, ...ladderPhases), cpus2).runs
    assert.ok(first)
    for (const step of first.steps.filter((s) => s.phase === 'ladder')) {
      assert.equal(step.load.durationMs, 4000)
      assert.equal(closed(step.load).pipelining, 2)
      assert.equal(step.load.timeoutMs, 3000)
      assert.deepEqual(step.load.requests, [{ method: 'GET', path: '/', headers: {}, endpoint: 0 }])
    }
    const single = first.steps.find((s) => s.phase === 'single')
    assert.equal(single?.load.durationMs, 250)
    assert.equal(single?.load.timeoutMs, 10_000)
  })

  it('warms up only before step 0 of each phase, at that step’s connection count', () => {
    const [first] = buildPlan(threeStacks(1, ...ladderPhases), cpus2).runs
    assert.ok(first)
    const warmups = first.steps.map((s) =>
      s.warmup ? [s.phase, s.step, closed(s.warmup).connections, s.warmup.durationMs] : null,
    )
    assert.deepEqual(warmups, [['ladder', 0, 10, 1500], null, null, ['single', 0, 5, 1000]])
  })

  it('has no warm-up when the phase sets none', () => {
    const plan = buildPlan(threeStacks(1, '  - { name: cold, connections: [1, 2], duration: 1s }'), cpus2)
    assertEvery(
      plan.runs.flatMap((r) => r.steps),
      (s) => s.warmup === undefined,
      'no step has a warm-up',
    )
  })

  it('estimates the total time from durations plus the per-stack and per-step allowances', () => {
    // Allowances named in build-plan.ts: 1.5 s to start/verify/stop a stack, 0.2 s around each step.
    const perStackRun = 1500
    const perStep = 200
    const trials = 2
    const stacks = 3
    // ladder: 3 steps of 4 s and one 1.5 s warm-up; single: 1 step of 0.25 s and one 1 s warm-up
    const measured = 3 * 4000 + 250
    const warmup = 1500 + 1000
    const steps = 4
    const expected = trials * stacks * (perStackRun + measured + warmup + steps * perStep)
    assert.equal(buildPlan(threeStacks(trials, ...ladderPhases), cpus2).estimatedMs, expected)
  })

  it('scales the estimate linearly with trials', () => {
    const one = buildPlan(threeStacks(1, ...ladderPhases), cpus2).estimatedMs
    assert.equal(buildPlan(threeStacks(4, ...ladderPhases), cpus2).estimatedMs, 4 * one)
  })
})

describe('expandRequestMix', () => {
  function request(path: string, weight: number, extra: Partial<RequestSpec> = {}): RequestSpec {
    return { method: 'GET', path, headers: {}, weight, ...extra }
  }
  const paths = (requests: readonly RequestSpec[]) => expandRequestMix(requests).map((r) => r.path)

  it('spreads weights 3 and 1 smoothly: a a b a, never a a a b', () => {
    assert.deepEqual(paths([request('a', 3), request('b', 1)]), ['a', 'a', 'b', 'a'])
  })

  it("matches nginx's documented smooth weighted round-robin for weights 5, 1, 1", () => {
    // ngx_http_upstream_round_robin.c: "{ a, a, b, a, c, a, a }" for weights { 5, 1, 1 }
    assert.deepEqual(paths([request('a', 5), request('b', 1), request('c', 1)]), [
      'a',
      'a',
      'b',
      'a',
      'c',
      'a',
      'a',
    ])
  })

  it('reduces the weights by their gcd: 2 and 4 give a cycle of 3, in the ratio 1:2', () => {
    const sequence = paths([request('a', 2), request('b', 4)])
    assert.equal(sequence.length, 3)
    assert.equal(sequence.filter((p) => p === 'a').length, 1)
    assert.equal(sequence.filter((p) => p === 'b').length, 2)
  })

  it('gives each request its weight’s share of the cycle', () => {
    const weights = [6, 10, 4] // gcd 2 → 3, 5, 2 → a cycle of 10
    const sequence = paths(weights.map((w, i) => request(`r${i}`, w)))
    assert.equal(sequence.length, 10)
    assert.deepEqual(
      [0, 1, 2].map((i) => sequence.filter((p) => p === `r${i}`).length),
      [3, 5, 2],
    )
  })

  it('equal weights of any size collapse to one of each, in order', () => {
    assert.deepEqual(paths([request('a', 1000), request('b', 1000)]), ['a', 'b'])
  })

  it('drops weight and keeps method, headers and body', () => {
    const post = request('/items', 1, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.deepEqual(expandRequestMix([post]), [
      {
        method: 'POST',
        path: '/items',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        endpoint: 0,
      },
    ])
  })

  it("marks each request of the cycle with its index in the phase's requests", () => {
    assert.deepEqual(
      expandRequestMix([request('a', 3), request('b', 1)]).map((r) => r.endpoint),
      [0, 0, 1, 0],
    )
  })
})

describe('endpointLabels', () => {
  it('names each request by method and path, numbering a repeat', () => {
    const requests: RequestSpec[] = [
      { method: 'GET', path: '/db', headers: {}, weight: 1 },
      { method: 'POST', path: '/db', headers: {}, weight: 1, body: 'x' },
      { method: 'GET', path: '/db', headers: { a: 'b' }, weight: 2 },
    ]
    assert.deepEqual(endpointLabels(requests), ['GET /db', 'POST /db', 'GET /db (2)'])
  })
})

describe('gate.alternate: slices', () => {
  const abProfile = (...gateLines: string[]) =>
    profileOf(
      'name: slices',
      'trials: 4',
      'stacks:',
      '  - { name: A, url: "http://127.0.0.1:8001" }',
      '  - { name: B, url: "http://127.0.0.1:8002" }',
      `gate: { baseline: A, candidate: B${gateLines.map((l) => `, ${l}`).join('')} }`,
      'phases:',
      '  - { name: p, connections: [2, 8], duration: 10s, warmup: 2s }',
    )
  it('keeps both stacks running and measures every step for a slice after its own warm-up, A B B A', () => {
    const plan = buildPlan(abProfile('alternate: slices', 'sliceMs: 800', 'sliceWarmupMs: 300'), {
      cpuCount: 2,
    })
    assert.equal(plan.restart, 'run')
    assert.deepEqual(
      plan.runs.map((r) => `${r.trial}${r.stack.name}`),
      ['0A', '0B', '1B', '1A', '2A', '2B', '3B', '3A'],
    )
    for (const run of plan.runs)
      for (const step of run.steps) {
        assert.equal(step.load.durationMs, 800)
        assert.equal(step.warmup?.durationMs, 300, `step ${step.step} warms up too`)
      }
  })
  it("defaults: slices, each step for the phase's duration after 0.5 s of its own; restart when chosen, the phases as written", () => {
    const slices = buildPlan(abProfile(), { cpuCount: 2 })
    assert.equal(slices.restart, 'run')
    assert.deepEqual(
      slices.runs[0]?.steps.map((s) => [s.load.durationMs, s.warmup?.durationMs]),
      [
        [10_000, 500],
        [10_000, 500],
      ],
    )
    const restart = buildPlan(abProfile('alternate: restart'), { cpuCount: 2 })
    assert.equal(restart.restart, 'trial')
    assert.deepEqual(
      restart.runs[0]?.steps.map((s) => [s.load.durationMs, s.warmup?.durationMs]),
      [
        [10_000, 2_000],
        [10_000, undefined],
      ],
    )
    assert.ok(slices.estimatedMs < restart.estimatedMs, 'no restart per trial')
  })
  it('a gate: section without baseline and candidate (a stored baseline) leaves the trials restarting as written', () => {
    const plan = buildPlan(
      profileOf(
        'name: stored',
        'trials: 2',
        'stacks:',
        '  - { name: A, url: "http://127.0.0.1:8001" }',
        'gate: { family: cell }',
        'phases:',
        '  - { name: p, connections: 2, duration: 10s, warmup: 2s }',
      ),
      { cpuCount: 2 },
    )
    assert.equal(plan.restart, 'trial')
    assert.deepEqual(
      plan.runs[0]?.steps.map((s) => [s.load.durationMs, s.warmup?.durationMs]),
      [[10_000, 2_000]],
    )
  })
})
