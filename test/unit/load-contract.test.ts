import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  fromGeneratorSchema,
  type GeneratorTask,
  toGeneratorSchema,
} from '../../src/load/contract/generator-messages.js'
import type { OpenLoadSpec } from '../../src/load/contract/load-spec.js'
import { parseMessage } from '../../src/load/contract/parse-message.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'

const load: OpenLoadSpec = {
  engine: 'bench',
  protocol: 'http1',
  streams: 1,
  durationMs: 1000,
  timeoutMs: 10_000,
  requests: [{ method: 'GET', path: '/', headers: {}, endpoint: 0 }],
  generators: 2,
  loop: 'open',
  rate: { from: 500, to: 500 },
  spacing: 'poisson',
  maxConnections: 8,
  seed: 3,
}
const task: GeneratorTask = {
  type: 'task',
  target: { baseUrl: 'http://127.0.0.1:8080', selfSigned: false },
  load,
  share: { index: 1, of: 2 },
  startAt: 1_765_000_000_000.5,
  seed: 123,
  progress: true,
}
const recorder = new LatencyRecorder()
recorder.record(250)
const sampleReply = {
  type: 'sample',
  sample: {
    successes: 1,
    bytes: 10,
    durationMs: 1000,
    errors: emptyErrorCounts(),
    histogram: recorder.encode(),
  },
  startOffsetMs: 0,
  lateMs: 0.4,
  usage: { cpuUs: 5000, cpuSource: 'thread', busyMs: 4, sleptMs: 900, wallMs: 1100 },
}

/** The error parseMessage throws for `data`, which must be refused. */
function refusal(schema: Parameters<typeof parseMessage>[0], data: unknown): string {
  try {
    parseMessage(schema, data, 'test')
  } catch (error) {
    return (error as Error).message
  }
  assert.fail(`accepted ${JSON.stringify(data)}`)
}

describe('the load contract: messages between the orchestrator and a generator', () => {
  it('accepts a task, a stop, progress, a sample and an error, and they survive JSON unchanged', () => {
    const roundTrip = (x: unknown) => JSON.parse(JSON.stringify(x))
    assert.deepEqual(parseMessage(toGeneratorSchema, roundTrip(task), 'test'), task)
    assert.deepEqual(parseMessage(toGeneratorSchema, { type: 'stop' }, 'test'), { type: 'stop' })
    const progress = { type: 'progress', progress: { elapsedMs: 500, successes: 10, errors: 1, p99Ms: 0.4 } }
    assert.deepEqual(parseMessage(fromGeneratorSchema, roundTrip(progress), 'test'), progress)
    assert.deepEqual(parseMessage(fromGeneratorSchema, roundTrip(sampleReply), 'test'), sampleReply)
    const error = { type: 'error', message: 'engine autocannon cannot run a open-loop step' }
    assert.deepEqual(parseMessage(fromGeneratorSchema, error, 'test'), error)
  })

  it('refuses an invalid task, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ ...task, share: { index: 2, of: 2 } }, 'share.index'],
      [{ ...task, startAt: 'now' }, 'startAt'],
      [{ ...task, seed: 1.5 }, 'seed'],
      [{ ...task, target: { baseUrl: 'ftp://127.0.0.1/' } }, 'target.baseUrl'],
      [{ ...task, load: { ...load, rate: { from: -1, to: 10 } } }, 'load.rate.from'],
      [{ ...task, load: { ...load, maxConnections: 0 } }, 'load.maxConnections'],
      [{ ...task, load: { ...load, requests: [] } }, 'load.requests'],
      [{ ...task, load: { ...load, loop: 'sideways' } }, 'load.loop'],
      [{ ...task, progress: undefined }, 'progress'],
      [{ ...task, extra: 1 }, 'extra'],
      [{ type: 'start' }, 'type'],
    ]
    for (const [data, field] of cases) {
      const message = refusal(toGeneratorSchema, data)
      assert.match(message, /^invalid message from test: /)
      assert.ok(message.includes(field), `${field} not named in: ${message}`)
    }
  })

  it('refuses an invalid reply, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ ...sampleReply, sample: { ...sampleReply.sample, successes: '1' } }, 'sample.successes'],
      [{ ...sampleReply, sample: { ...sampleReply.sample, histogram: undefined } }, 'sample.histogram'],
      [{ ...sampleReply, usage: { ...sampleReply.usage, cpuUs: -1 } }, 'usage.cpuUs'],
      [{ ...sampleReply, usage: { ...sampleReply.usage, cpuSource: 'guess' } }, 'usage.cpuSource'],
      [{ ...sampleReply, usage: { ...sampleReply.usage, sleptMs: undefined } }, 'usage.sleptMs'],
      [{ ...sampleReply, startOffsetMs: undefined }, 'startOffsetMs'],
      [
        { type: 'progress', progress: { elapsedMs: 1, successes: -1, errors: 0, p99Ms: 0 } },
        'progress.successes',
      ],
      [{ type: 'error', message: '' }, 'message'],
    ]
    for (const [data, field] of cases) {
      const message = refusal(fromGeneratorSchema, data)
      assert.ok(message.includes(field), `${field} not named in: ${message}`)
    }
  })
})
