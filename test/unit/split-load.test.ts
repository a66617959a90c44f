import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { shareSchedule } from '../../src/load/arrival-schedule.js'
import type { ClosedLoadSpec, OpenLoadSpec } from '../../src/load/contract/load-spec.js'
import { type LoadShare, splitLoad } from '../../src/load/contract/split-load.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import { mergeSamples } from '../../src/samples/merge-samples.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import { judgeCell } from '../../src/stats/judge-cell.js'

const common = {
  engine: 'bench' as const,
  protocol: 'http1' as const,
  streams: 1,
  durationMs: 2000,
  timeoutMs: 10_000,
  requests: [0, 1, 2].map((endpoint) => ({
    method: 'GET' as const,
    path: `/${endpoint}`,
    headers: {},
    endpoint,
  })),
  generators: 4,
}
const open = (spacing: 'uniform' | 'poisson'): OpenLoadSpec => ({
  ...common,
  loop: 'open',
  rate: { from: 1000, to: 3000 },
  spacing,
  maxConnections: 10,
  seed: 42,
})

/** `agents` generators of `threads` threads each: the coordinator splits over agents, each agent over its threads. */
const generators = (load: OpenLoadSpec | ClosedLoadSpec, agents: number, threads: number): LoadShare[] =>
  splitLoad(load, agents).flatMap((agent) => splitLoad(agent.load, threads, agent.share))

/** Every intended send of the step, as [share index, time] sorted by share then time. */
const sends = (shares: LoadShare[]) =>
  shares
    .flatMap((s) =>
      Array.from(shareSchedule(s.load as OpenLoadSpec, s.share, s.seed), (t) => [s.share.index, t]),
    )
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number))

describe('splitLoad over any number of generators: global shares', () => {
  for (const spacing of ['uniform', 'poisson'] as const) {
    it(`4 generators of 1 thread, 1 of 4 and 2 of 2 send exactly the same ${spacing} schedule`, () => {
      const flat = sends(generators(open(spacing), 4, 1))
      assert.ok(flat.length > 3000, `${flat.length} sends`)
      assert.deepEqual(sends(generators(open(spacing), 1, 4)), flat)
      assert.deepEqual(sends(generators(open(spacing), 2, 2)), flat)
      assert.deepEqual(
        generators(open(spacing), 2, 2).map((s) => s.share),
        [
          { index: 0, of: 4 },
          { index: 2, of: 4 },
          { index: 1, of: 4 },
          { index: 3, of: 4 },
        ],
      )
    })
  }

  it('a uniform schedule split four ways interleaves back into the whole step’s', () => {
    const whole = shareSchedule(open('uniform'), { index: 0, of: 1 }, 42)
    const parts = sends(generators(open('uniform'), 2, 2))
      .map(([, t]) => t as number)
      .sort((a, b) => a - b)
    assert.equal(parts.length, whole.length)
    parts.forEach((t, k) => {
      assert.ok(Math.abs(t - (whole[k] as number)) < 1e-6, `send ${k}: ${t} vs ${whole[k]}`)
    })
  })

  it('gives each share a seed of its own, from the step seed and its index alone', () => {
    const seeds = generators(open('poisson'), 4, 1).map((s) => s.seed)
    assert.equal(new Set(seeds).size, 4)
    assert.deepEqual(
      generators(open('poisson'), 1, 4)
        .sort((a, b) => a.share.index - b.share.index)
        .map((s) => s.seed),
      seeds,
    )
    const other = generators({ ...open('poisson'), seed: 43 }, 4, 1).map((s) => s.seed)
    assert.notDeepEqual(other, seeds)
  })

  it('deals connections round-robin by global number: share i holds the step’s connections i, i+of, …', () => {
    const closed: ClosedLoadSpec = { ...common, loop: 'closed', connections: 10, pipelining: 1 }
    const byIndex = (shares: LoadShare[]) =>
      shares
        .sort((a, b) => a.share.index - b.share.index)
        .map((s) => [s.share.index, s.share.of, (s.load as ClosedLoadSpec).connections])
    // connections 0…9 over 4: share 0 has 0, 4, 8; share 1 has 1, 5, 9; share 2 has 2, 6; share 3 has 3, 7
    const expected = [
      [0, 4, 3],
      [1, 4, 3],
      [2, 4, 2],
      [3, 4, 2],
    ]
    assert.deepEqual(byIndex(generators(closed, 4, 1)), expected)
    assert.deepEqual(byIndex(generators(closed, 1, 4)), expected)
    assert.deepEqual(byIndex(generators(closed, 2, 2)), expected)
    // where each connection starts in the request mix: its global number mod the mix (closed-loop.ts)
    const starts = byIndex(generators(closed, 2, 2)).flatMap(([index, of, n]) =>
      Array.from({ length: n as number }, (_, l) => ((index as number) + (of as number) * l) % 3),
    )
    assert.deepEqual(starts.sort(), Array.from({ length: 10 }, (_, g) => g % 3).sort())
    // never a share without a connection
    assert.deepEqual(
      splitLoad({ ...closed, connections: 3 }, 4).map((s) => s.share),
      [0, 1, 2].map((index) => ({ index, of: 3 })),
    )
  })

  it('divides the rate and deals the open loop’s connection cap by the same global shares', () => {
    const shares = generators(open('uniform'), 2, 2).sort((a, b) => a.share.index - b.share.index)
    assert.deepEqual(
      shares.map((s) => [(s.load as OpenLoadSpec).rate, (s.load as OpenLoadSpec).maxConnections]),
      [
        [{ from: 250, to: 750 }, 3],
        [{ from: 250, to: 750 }, 3],
        [{ from: 250, to: 750 }, 2],
        [{ from: 250, to: 750 }, 2],
      ],
    )
  })
})

describe('mergeSamples on absolute time', () => {
  const sample = (durationMs: number, timeline: number[]): TrialSample => {
    const recorder = new LatencyRecorder()
    recorder.record(100)
    const lag = new LatencyRecorder().encode()
    return {
      successes: timeline.reduce((a, b) => a + b, 0),
      bytes: 0,
      durationMs,
      errors: emptyErrorCounts(),
      histogram: recorder.encode(),
      open: {
        targetRate: 100,
        sent: 1,
        blocked: 0,
        correctedHistogram: recorder.encode(),
        sendLagHistogram: lag,
        timeline,
      },
    }
  }

  it('lasts from the common start to the last share’s end, not the longest share', () => {
    // share 2 began 1.5 s after the common start and ran 2 s: the step ran 3.5 s, not 3 s
    const merged = mergeSamples([sample(3000, [10, 10, 10]), sample(2000, [5, 5])], [0, 1500])
    assert.equal(merged.durationMs, 3500)
  })

  it('adds timelines by the second of the step, each share’s shifted by its start', () => {
    const merged = mergeSamples([sample(3000, [10, 10, 10]), sample(2000, [5, 5])], [0, 2000])
    assert.deepEqual(merged.open?.timeline, [10, 10, 15, 5])
    assert.equal(merged.successes, 40)
    // on time, shares add second by second (what threads started together do)
    assert.deepEqual(mergeSamples([sample(2000, [1, 2]), sample(2000, [3, 4])]).open?.timeline, [4, 6])
  })
})

describe('the verdict on a busy generator', () => {
  it('names the busiest generator when each reported its own usage', () => {
    const latency = { count: 100, p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1 }
    const verdict = judgeCell({
      trials: 1,
      reqPerSec: 1000,
      reqPerSecTrials: [1000],
      reqPerSecCv: 0,
      bytesPerSec: 0,
      latency,
      successes: 1000,
      errors: emptyErrorCounts(),
      errorCount: 0,
      errorPercent: 0,
      resources: [],
      generator: {
        threads: 3,
        cpuPercent: 190,
        eventLoopUtilization: 0.97,
        generators: [
          { name: 'generator thread 1', cpuPercent: 40, busy: 0.4 },
          { name: 'generator thread 2', cpuPercent: 95, busy: 0.97 },
          { name: 'slow clients', cpuPercent: 55, busy: 0.5 },
        ],
      },
    })
    assert.equal(verdict.status, 'suspect')
    assert.equal(
      verdict.reasons[0]?.message,
      'generator busy: generator thread 2 at 97 % busy (its CPU 95 % of a core; 3 generators, 190 % together): results are client-bound',
    )
  })
})
