import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { arrivalSchedule } from '../../src/load/arrival-schedule.js'
import type { ClosedLoadSpec, OpenLoadSpec } from '../../src/load/contract/load-spec.js'
import { splitLoad } from '../../src/load/contract/split-load.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder, summarizeLatency } from '../../src/samples/latency-histogram.js'
import { mergeSamples } from '../../src/samples/merge-samples.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import type { CellStats } from '../../src/stats/cell-stats-schema.js'
import { judgeCell, validityLimits } from '../../src/stats/judge-cell.js'
import { measuredMs } from '../measured-ms.js'

const schedule = (
  from: number,
  to: number,
  seconds: number,
  spacing: 'uniform' | 'poisson' = 'uniform',
  offset = 0,
) => arrivalSchedule({ rate: { from, to }, durationMs: seconds * 1000, spacing, seed: 7, offset })

describe('arrivalSchedule', () => {
  it('spaces a constant uniform rate evenly: 100 req/s for 2 s is 200 sends 10 ms apart', () => {
    const times = schedule(100, 100, 2)
    assert.equal(times.length, 200)
    times.forEach((t, k) => {
      assert.ok(Math.abs(t - k * 10) < 1e-9, `send ${k} at ${t}`)
    })
  })

  it('follows a linear ramp: the sends due in each second are N(s+1) − N(s) with N(t) = from·t + (to−from)·t²/2T', () => {
    const times = schedule(100, 500, 5)
    const perSecond = [0, 1, 2, 3, 4].map(
      (s) => times.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length,
    )
    const due = [0, 1, 2, 3, 4].map((s) => 100 * (s + 1) + 40 * (s + 1) ** 2 - (100 * s + 40 * s ** 2))
    perSecond.forEach((n, s) => {
      assert.ok(Math.abs(n - (due[s] ?? 0)) <= 1, `second ${s}: ${n} vs ${due[s]}`)
    })
    assert.equal(times.length, 1500)
  })

  it('draws Poisson arrivals: the right mean rate, exponential gaps (CV ≈ 1), the same for the same seed', () => {
    const times = schedule(1000, 1000, 20, 'poisson')
    assert.ok(Math.abs(times.length / 20_000 - 1) < 0.02, `${times.length} arrivals in 20 s at 1000 req/s`)
    const gaps = Array.from(times.slice(1), (t, i) => t - (times[i] as number))
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length)
    assert.ok(Math.abs(sd / mean - 1) < 0.05, `CV of gaps ${sd / mean}`)
    assert.deepEqual(schedule(1000, 1000, 1, 'poisson'), schedule(1000, 1000, 1, 'poisson'))
  })

  it('interleaves generators: two half-rate schedules offset by half an interval make the full uniform one', () => {
    const both = [...schedule(50, 50, 1, 'uniform', 0), ...schedule(50, 50, 1, 'uniform', 0.5)].sort(
      (a, b) => a - b,
    )
    assert.deepEqual(Array.from(both), Array.from(schedule(100, 100, 1)))
  })
})

describe('splitLoad', () => {
  const common = {
    protocol: 'http1' as const,
    streams: 1,
    durationMs: 1000,
    timeoutMs: 10_000,
    requests: [{ method: 'GET' as const, path: '/', headers: {} }],
  }
  it('deals closed-loop connections out evenly, never giving a thread none', () => {
    const load: ClosedLoadSpec = {
      ...common,
      loop: 'closed',
      engine: 'bench',
      connections: 5,
      pipelining: 1,
      generators: 3,
    }
    assert.deepEqual(
      splitLoad(load, load.generators).map((s) => (s.load as ClosedLoadSpec).connections),
      [2, 2, 1],
    )
    assert.equal(splitLoad({ ...load, connections: 2 }, load.generators).length, 2)
  })
  it('divides an open-loop rate and connection cap, offsetting each thread', () => {
    const load: OpenLoadSpec = {
      ...common,
      loop: 'open',
      engine: 'bench',
      rate: { from: 90, to: 300 },
      spacing: 'uniform',
      maxConnections: 10,
      seed: 1,
      generators: 3,
    }
    const shares = splitLoad(load, load.generators)
    assert.deepEqual(
      shares.map((s) => [
        (s.load as OpenLoadSpec).rate,
        (s.load as OpenLoadSpec).maxConnections,
        s.share.index / s.share.of,
      ]),
      [
        [{ from: 30, to: 100 }, 4, 0],
        [{ from: 30, to: 100 }, 3, 1 / 3],
        [{ from: 30, to: 100 }, 3, 2 / 3],
      ],
    )
    assert.equal(new Set(shares.map((s) => s.seed)).size, 3, 'each thread its own seed')
  })
})

describe('mergeSamples', () => {
  const sample = (values: number[], successes: number, durationMs: number): TrialSample => {
    const recorder = new LatencyRecorder()
    for (const v of values) recorder.record(v)
    return {
      successes,
      bytes: successes * 10,
      durationMs,
      errors: { ...emptyErrorCounts(), connect: 1, status: { '500': 2 } },
      histogram: recorder.encode(),
    }
  }
  it('adds counts, keeps the longest duration, and merges histograms exactly', () => {
    const merged = mergeSamples([sample([1000, 2000], 2, 1000), sample([3000], 1, 1100)])
    assert.equal(merged.successes, 3)
    assert.equal(merged.bytes, 30)
    assert.equal(merged.durationMs, 1100)
    assert.deepEqual(merged.errors, { ...emptyErrorCounts(), connect: 2, status: { '500': 4 } })
    const latency = summarizeLatency([merged.histogram])
    assert.equal(latency.count, 3)
    assert.ok(Math.abs(measuredMs(latency.max) - 3) < 0.01)
  })
})

describe('judgeCell', () => {
  const stats = (fields: Partial<CellStats>): CellStats => {
    const latency = { count: 100, p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1 }
    return {
      trials: 1,
      reqPerSec: 1000,
      reqPerSecTrials: [1000],
      reqPerSecCv: 0,
      bytesPerSec: 0,
      latency,
      successes: 100,
      errors: { ...emptyErrorCounts() },
      errorCount: 0,
      errorPercent: 0,
      resources: [],
      ...fields,
    }
  }
  const lag = (p99: number) => ({ count: 100, p50: 0.1, p90: 0.2, p99, p999: p99, max: p99, mean: 0.1 })

  it('passes a cell whose generator had room and whose schedule was kept', () => {
    assert.deepEqual(
      judgeCell(stats({ generator: { threads: 1, cpuPercent: 50, eventLoopUtilization: 0.5 } })),
      { status: 'ok', reasons: [] },
    )
  })
  it('flags a busy generator, naming the fix', () => {
    const verdict = judgeCell(
      stats({
        generator: { threads: 1, cpuPercent: 97.4, eventLoopUtilization: validityLimits.generatorBusy },
      }),
    )
    assert.equal(verdict.status, 'suspect')
    assert.equal(
      verdict.reasons[0]?.message,
      'generator busy 90 % of the time (CPU 97 % over 1 thread): results are client-bound',
    )
    assert.match(verdict.reasons[0]?.fix ?? '', /more generator threads \(generators: N\)/)
  })
  it('flags an open-loop cell that achieved less than 95 % of the offered rate, and one sent late', () => {
    const open = (achieved: number, lagP99: number) =>
      judgeCell(
        stats({
          reqPerSec: achieved,
          open: { targetRate: 1000, corrected: lag(1), sendLag: lag(lagP99), blocked: 0 },
        }),
      )
    assert.equal(open(950, 1).status, 'ok')
    assert.deepEqual(
      open(949, 1).reasons.map((r) => r.message),
      ['achieved 949 of 1000 req/s offered (94.9 %)'],
    )
    assert.deepEqual(
      open(1000, 5.5).reasons.map((r) => r.message),
      ['the generator sent late: send lag p99 5.5 ms'],
    )
  })
})
