import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder, summarizeLatency } from '../../src/samples/latency-histogram.js'
import type { ErrorCounts, TrialSample } from '../../src/samples/sample-schemas.js'
import { computeCellStats } from '../../src/stats/compute-cell-stats.js'
import { summarizeCells } from '../../src/stats/summarize-cells.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'
import { measuredMs } from '../measured-ms.js'

/** |actual − expected| ≤ 0.1 % of expected. */
function assertWithinTenthOfAPercent(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= expected * 0.001,
    `${what}: ${actual} is not within 0.1 % of ${expected}`,
  )
}

function encode(micros: Iterable<number>): string {
  const recorder = new LatencyRecorder()
  for (const us of micros) recorder.record(us)
  return recorder.encode()
}

function repeat(value: number, times: number): number[] {
  return Array.from({ length: times }, () => value)
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

function sample(fields: Partial<TrialSample> & { latenciesUs?: number[] }): TrialSample {
  const { latenciesUs = [1000], ...rest } = fields
  return {
    successes: 0,
    bytes: 0,
    durationMs: 1000,
    errors: emptyErrorCounts(),
    histogram: encode(latenciesUs),
    ...rest,
  }
}

function errors(fields: Partial<ErrorCounts>): ErrorCounts {
  return { ...emptyErrorCounts(), ...fields }
}

describe('LatencyRecorder + summarizeLatency', () => {
  it('reads the percentiles of 1..10000 µs within 0.1 %, in ms', () => {
    const summary = summarizeLatency([encode(range(1, 10_000))])
    assert.equal(summary.count, 10_000)
    // The p-th percentile of 1..N µs is p·N/100 µs.
    assertWithinTenthOfAPercent(measuredMs(summary.p50), 5.0, 'p50')
    assertWithinTenthOfAPercent(measuredMs(summary.p90), 9.0, 'p90')
    assertWithinTenthOfAPercent(measuredMs(summary.p99), 9.9, 'p99')
    assertWithinTenthOfAPercent(measuredMs(summary.p999), 9.99, 'p99.9')
    assertWithinTenthOfAPercent(measuredMs(summary.max), 10.0, 'max')
    assertWithinTenthOfAPercent(measuredMs(summary.mean), 5.0005, 'mean')
  })

  it('keeps 0.1 % resolution at large values (seconds)', () => {
    const summary = summarizeLatency([encode([2_345_678])])
    assertWithinTenthOfAPercent(measuredMs(summary.p50), 2345.678, 'p50')
  })

  it('counts what it records', () => {
    const recorder = new LatencyRecorder()
    assert.equal(recorder.count, 0)
    recorder.record(10)
    recorder.record(20)
    assert.equal(recorder.count, 2)
  })

  it('records sub-microsecond latencies as 1 µs rather than dropping them', () => {
    const summary = summarizeLatency([encode([0, 0.2])])
    assert.equal(summary.count, 2)
    assert.equal(summary.max, 0.001)
  })

  it('summarises nothing as no figure (null), never as a latency of 0 that no request had', () => {
    const none = { count: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null }
    assert.deepEqual(summarizeLatency([]), none)
    assert.deepEqual(summarizeLatency([new LatencyRecorder().encode()]), none)
  })

  it('merging encoded histograms equals one histogram of all the values', () => {
    const first = [...range(100, 5_000), ...repeat(40_000, 50)]
    const second = [...range(3_000, 9_000), ...repeat(120_000, 10)]
    assert.deepEqual(
      summarizeLatency([encode(first), encode(second)]),
      summarizeLatency([encode([...first, ...second])]),
    )
  })

  it('merges rather than averaging percentiles', () => {
    // A fast trial (all 1 ms) and a slow one (all 100 ms), 1000 responses each.
    const fast = encode(repeat(1_000, 1000))
    const slow = encode(repeat(100_000, 1000))
    const fastP99 = measuredMs(summarizeLatency([fast]).p99)
    const slowP99 = measuredMs(summarizeLatency([slow]).p99)
    const averagedP99 = (fastP99 + slowP99) / 2 // ≈ 50.5 ms: a latency no response had
    const merged = summarizeLatency([fast, slow])
    assert.equal(merged.count, 2000)
    // 99 % of the 2000 responses are at or below 100 ms, but only 50 % at or below 1 ms.
    assertWithinTenthOfAPercent(measuredMs(merged.p99), 100, 'merged p99')
    assertWithinTenthOfAPercent(measuredMs(merged.p50), 1, 'merged p50')
    assert.ok(
      Math.abs(measuredMs(merged.p99) - averagedP99) > 40,
      `merged p99 ${merged.p99} vs averaged ${averagedP99}`,
    )
    assertWithinTenthOfAPercent(measuredMs(merged.mean), 50.5, 'merged mean')
  })
})

describe('computeCellStats', () => {
  const trials = [
    sample({ successes: 1000, bytes: 100_000, durationMs: 2000 }), // 500 req/s, 50 kB/s
    sample({ successes: 4500, bytes: 900_000, durationMs: 3000 }), // 1500 req/s, 300 kB/s
    sample({ successes: 600, bytes: 30_000, durationMs: 1000 }), // 600 req/s, 30 kB/s
  ]

  it('computes req/s per trial from 2xx count and measured duration', () => {
    assert.deepEqual(computeCellStats(trials).reqPerSecTrials, [500, 1500, 600])
  })

  it('reports the median across trials, not the mean', () => {
    const stats = computeCellStats(trials)
    assert.equal(stats.trials, 3)
    assert.equal(stats.reqPerSec, 600) // mean would be 866.7
    assert.equal(stats.bytesPerSec, 50_000) // of 50 000, 300 000, 30 000 B/s
  })

  it('takes the middle of an even number of trials as the mean of the two middle ones', () => {
    const stats = computeCellStats(trials.slice(0, 2))
    assert.equal(stats.reqPerSec, 1000)
  })

  it('reports the coefficient of variation (sample standard deviation ÷ mean)', () => {
    const rates = [500, 1500, 600]
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length
    const variance = rates.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (rates.length - 1)
    const cv = Math.sqrt(variance) / mean
    assert.ok(Math.abs(computeCellStats(trials).reqPerSecCv - cv) < 1e-12)
    assert.ok(cv > 0.5, 'sanity: these trials vary a lot')
  })

  it('has zero CV with one trial, or when nothing succeeded', () => {
    assert.equal(computeCellStats([trials[1] as TrialSample]).reqPerSecCv, 0)
    assert.equal(computeCellStats([sample({}), sample({})]).reqPerSecCv, 0)
  })

  it('counts every error class and status in the error rate, over all trials', () => {
    const stats = computeCellStats([
      sample({ successes: 900, errors: errors({ connect: 1, timeout: 2, status: { '502': 10, '404': 3 } }) }),
      sample({
        successes: 80,
        errors: errors({ reset: 4, other: 5, status: { '502': 20 } }),
      }),
    ])
    const errorCount = 1 + 2 + 10 + 3 + 4 + 5 + 20
    assert.equal(stats.successes, 980)
    assert.equal(stats.errorCount, errorCount)
    assert.equal(stats.errorPercent, (errorCount / (980 + errorCount)) * 100)
    assert.deepEqual(stats.errors, {
      ...emptyErrorCounts(),
      connect: 1,
      timeout: 2,
      reset: 4,
      other: 5,
      status: { '502': 30, '404': 3 },
    })
  })

  it('has an error rate of 1 when nothing succeeded, and 0 when nothing happened', () => {
    assert.equal(computeCellStats([sample({ errors: errors({ connect: 7 }) })]).errorPercent, 100)
    assert.equal(computeCellStats([sample({})]).errorPercent, 0)
  })

  it('merges the trials’ latency histograms', () => {
    const stats = computeCellStats([
      sample({ successes: 1, latenciesUs: repeat(1_000, 1000) }),
      sample({ successes: 1, latenciesUs: repeat(100_000, 1000) }),
    ])
    assert.equal(stats.latency.count, 2000)
    assertWithinTenthOfAPercent(measuredMs(stats.latency.p99), 100, 'p99')
  })

  it('refuses an empty list of trials', () => {
    assert.throws(() => computeCellStats([]), /at least one trial/)
  })
})

describe('summarizeCells', () => {
  function trial(
    stack: string,
    phase: string,
    step: number,
    n: number,
    extra: Partial<TrialRecord> = {},
  ): TrialRecord {
    return {
      stack,
      phase,
      step,
      connections: [10, 100][step] ?? 1,
      pipelining: 1,
      loop: 'closed',
      trial: n,
      status: 'ok',
      sample: sample({ successes: 1000 * (n + 1), durationMs: 1000 }),
      ...extra,
    }
  }
  const failure = {
    message: 'nginx exited during phase "p" (code 1)',
    fix: 'see its last output',
    logTail: ['boom'],
  }

  it('groups trials by stack, phase and step, in first-seen order', () => {
    const cells = summarizeCells([
      trial('A', 'p', 0, 0),
      trial('A', 'p', 1, 0),
      trial('B', 'p', 0, 0),
      trial('B', 'p', 1, 0),
      trial('A', 'q', 0, 0),
      trial('B', 'p', 0, 1),
      trial('A', 'p', 1, 1),
      trial('A', 'p', 0, 1),
    ])
    assert.deepEqual(
      cells.map((c) => [c.stack, c.phase, c.step, c.connections, c.stats?.trials]),
      [
        ['A', 'p', 0, 10, 2],
        ['A', 'p', 1, 100, 2],
        ['B', 'p', 0, 10, 2],
        ['B', 'p', 1, 100, 1],
        ['A', 'q', 0, 10, 1],
      ],
    )
    assert.ok(cells.every((c) => c.status === 'ok' && c.failures.length === 0))
  })

  it('computes each cell from its own trials only', () => {
    const cells = summarizeCells([
      trial('A', 'p', 0, 0, { sample: sample({ successes: 100, durationMs: 1000 }) }),
      trial('B', 'p', 0, 0, { sample: sample({ successes: 900, durationMs: 1000 }) }),
      trial('A', 'p', 0, 1, { sample: sample({ successes: 300, durationMs: 1000 }) }),
    ])
    assert.deepEqual(
      cells.map((c) => [c.stack, c.stats?.reqPerSecTrials]),
      [
        ['A', [100, 300]],
        ['B', [900]],
      ],
    )
  })

  it('takes the median startup time over the trials', () => {
    const [cell] = summarizeCells([
      trial('A', 'p', 0, 0, { startupMs: 300 }),
      trial('A', 'p', 0, 1, { startupMs: 100 }),
      trial('A', 'p', 0, 2, { startupMs: 2000 }),
    ])
    assert.equal(cell?.startupMs, 300)
  })

  it('marks a cell failed when any trial failed, still computing stats from the samples it has', () => {
    const [cell] = summarizeCells([
      trial('A', 'p', 0, 0, { sample: sample({ successes: 500, durationMs: 1000 }) }),
      trial('A', 'p', 0, 1, { status: 'failed', sample: undefined, failure }),
      trial('A', 'p', 0, 2, { sample: sample({ successes: 700, durationMs: 1000 }) }),
    ])
    assert.ok(cell)
    assert.equal(cell.status, 'failed')
    assert.deepEqual(cell.failures, [failure])
    assert.equal(cell.stats?.trials, 2)
    assert.equal(cell.stats?.reqPerSec, 600)
  })

  it('keeps the sample of a trial that failed mid-step (its errors count)', () => {
    const [cell] = summarizeCells([
      trial('A', 'p', 0, 0, {
        status: 'failed',
        failure,
        sample: sample({ successes: 90, errors: errors({ reset: 10 }) }),
      }),
    ])
    assert.equal(cell?.status, 'failed')
    assert.equal(cell?.stats?.errorPercent, 10)
  })

  it('has no stats when no trial produced a sample', () => {
    const [cell] = summarizeCells([
      trial('A', 'p', 0, 0, { status: 'failed', sample: undefined, failure }),
      trial('A', 'p', 0, 1, { status: 'failed', sample: undefined, failure }),
    ])
    assert.equal(cell?.status, 'failed')
    assert.equal(cell?.stats, undefined)
    assert.equal(cell?.failures.length, 2)
  })
})
