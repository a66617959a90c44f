import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createAgentEngine } from '../../src/agents/agent-engine.js'
import { proofMatches, proveToken } from '../../src/agents/token-proof.js'
import { BenchError } from '../../src/bench-error.js'
import { coordinatorSettings, parseHostPort } from '../../src/cli/agent-options.js'
import { shareSchedule } from '../../src/load/arrival-schedule.js'
import { fromAgentSchema, toAgentSchema } from '../../src/load/contract/agent-messages.js'
import { estimateClockOffset } from '../../src/load/contract/estimate-clock-offset.js'
import type { OpenLoadSpec } from '../../src/load/contract/load-spec.js'
import { parseMessage } from '../../src/load/contract/parse-message.js'
import { splitLoad } from '../../src/load/contract/split-load.js'
import { fakeEngine } from '../fakes/fake-engine.js'

const nonce = 'ab'.repeat(32)
const load: OpenLoadSpec = {
  engine: 'bench',
  protocol: 'http1',
  streams: 1,
  durationMs: 2000,
  timeoutMs: 10_000,
  requests: [{ method: 'GET', path: '/', headers: {} }],
  generators: 1,
  loop: 'open',
  rate: { from: 4000, to: 4000 },
  spacing: 'poisson',
  maxConnections: 8,
  seed: 7,
}

describe('agent messages', () => {
  it('checks a hello, naming the field at fault', () => {
    const hello = { type: 'hello', name: 'a', index: 1, version: '0.1.0', cpus: 2, nonce }
    assert.deepEqual(parseMessage(fromAgentSchema, hello, 'agent a'), hello)
    assert.throws(
      () => parseMessage(fromAgentSchema, { ...hello, index: -1 }, 'agent a'),
      /invalid message from agent a: index: /,
    )
    assert.throws(
      () => parseMessage(fromAgentSchema, { ...hello, nonce: 'short' }, 'agent a'),
      /nonce: expected 32/,
    )
    assert.throws(() => parseMessage(fromAgentSchema, 'not json', 'agent a'), /\(message\)/)
  })

  it('wraps the generator task of the load contract, and refuses one the contract refuses', () => {
    const [share] = splitLoad(load, 2)
    const task = {
      type: 'task',
      step: 3,
      task: {
        type: 'task',
        target: { baseUrl: 'http://127.0.0.1:8080' },
        load: share?.load,
        share: share?.share,
        seed: share?.seed,
        startAt: 1_800_000_000_000,
        progress: true,
      },
    }
    assert.deepEqual(parseMessage(toAgentSchema, task, 'the coordinator'), task)
    assert.throws(
      () => parseMessage(toAgentSchema, { ...task, task: { ...task.task, share: { index: 2, of: 2 } } }, 'c'),
      /task\.share\.index: index must be below of/,
    )
  })
})

describe('the split over agents', () => {
  it('4 agents of 1 thread send exactly the intended times of 1 agent of 4 threads', () => {
    // as the agent engine splits (over agents), then each agent's threaded engine (over its threads, within)
    const sends = (agents: number, threads: number) =>
      splitLoad(load, agents)
        .flatMap((agent) => splitLoad({ ...agent.load, generators: threads }, threads, agent.share))
        .flatMap((s) =>
          Array.from(shareSchedule(s.load as OpenLoadSpec, s.share, s.seed), (t) => `${s.share.index}@${t}`),
        )
        .sort()
    const four = sends(4, 1)
    assert.ok(four.length > 7000, `${four.length} sends`)
    assert.deepEqual(sends(1, 4), four)
    assert.deepEqual(sends(2, 2), four)
  })
})

describe('the token proof', () => {
  it('matches only with the same token, nonce and role; the token is not in it', () => {
    const token = 'a-shared-token-of-32-characters!'
    const proof = proveToken(token, 'agent', nonce)
    assert.match(proof, /^[0-9a-f]{64}$/)
    assert.ok(!proof.includes(Buffer.from(token).toString('hex')))
    assert.ok(proofMatches(proveToken(token, 'agent', nonce), proof))
    assert.ok(!proofMatches(proveToken('another-token-of-32-characters!!', 'agent', nonce), proof))
    assert.ok(!proofMatches(proveToken(token, 'agent', 'cd'.repeat(32)), proof))
    // a coordinator's proof cannot be sent back as an agent's
    assert.ok(!proofMatches(proveToken(token, 'coordinator', nonce), proof))
    assert.ok(!proofMatches(proof, 'abcd'))
  })
})

describe('estimateClockOffset', () => {
  it('takes the exchange with the shortest round trip, the agent read halfway through it', () => {
    // agent clock = coordinator + 5000; one-way delays vary
    const exchange = (sentAt: number, out: number, back: number) => ({
      sentAt,
      agentAt: sentAt + out + 5000,
      receivedAt: sentAt + out + back,
    })
    const estimate = estimateClockOffset([
      exchange(0, 9, 1),
      exchange(100, 0.2, 0.3),
      exchange(200, 1, 30),
      exchange(300, 4, 4),
    ])
    assert.equal(estimate.roundTripMs, 0.5)
    // error at most half the round trip
    assert.ok(Math.abs(estimate.offsetMs - 5000) <= 0.25, `${estimate.offsetMs}`)
    assert.equal(estimate.offsetMs, 100.2 + 5000 - (100 + 100.5) / 2)
    assert.throws(() => estimateClockOffset([]), /no clock exchange/)
  })
})

describe('the coordinator flags', () => {
  const env = process.env.BENCH_AGENT_TOKEN
  const withToken = <T>(token: string | undefined, work: () => T): T => {
    if (token === undefined) delete process.env.BENCH_AGENT_TOKEN
    else process.env.BENCH_AGENT_TOKEN = token
    try {
      return work()
    } finally {
      if (env === undefined) delete process.env.BENCH_AGENT_TOKEN
      else process.env.BENCH_AGENT_TOKEN = env
    }
  }
  const inputError = (pattern: RegExp) => (error: unknown) =>
    error instanceof BenchError && error.kind === 'input' && pattern.test(error.message)

  it('are absent without --agents, and need it', () => {
    assert.equal(coordinatorSettings({}), undefined)
    assert.throws(
      () => coordinatorSettings({ listen: '0.0.0.0:7070' }),
      inputError(/--listen is a setting of --agents/),
    )
  })

  it('refuse --agents 0, a bad --listen, a bad timeout and a missing token, each with a fix', () => {
    withToken('0123456789abcdef0123', () => {
      assert.throws(
        () => coordinatorSettings({ agents: 0 }),
        inputError(/--agents 0 is not a number of agents/),
      )
      assert.throws(
        () => coordinatorSettings({ agents: 2, listen: '7070' }),
        inputError(/--listen 7070 is not HOST:PORT/),
      )
      assert.throws(
        () => coordinatorSettings({ agents: 2, agentsTimeout: 'soon' }),
        inputError(/--agents-timeout soon/),
      )
      assert.deepEqual(coordinatorSettings({ agents: 2 }), {
        agents: 2,
        host: '127.0.0.1',
        port: 7070,
        token: '0123456789abcdef0123',
        timeoutMs: 300_000,
      })
    })
    withToken(undefined, () => {
      assert.throws(() => coordinatorSettings({ agents: 2 }), inputError(/no agent token given/))
    })
  })

  it('read HOST:PORT, IPv6 in brackets', () => {
    assert.deepEqual(parseHostPort('[::1]:7070'), { host: '::1', port: 7070 })
    assert.deepEqual(parseHostPort('0.0.0.0:7070'), { host: '0.0.0.0', port: 7070 })
    assert.deepEqual(parseHostPort('coordinator.bench.svc:7070'), {
      host: 'coordinator.bench.svc',
      port: 7070,
    })
    assert.equal(parseHostPort('127.0.0.1:70000'), undefined)
    assert.equal(parseHostPort('::1:7070'), undefined)
  })
})

describe('the agent engine', () => {
  it("refuses to send agents on other machines to this machine's loopback, before any task", async () => {
    const sent: unknown[] = []
    const socket = {
      address: '198.18.0.3',
      send: (message: unknown) => sent.push(message),
      onMessage: () => () => {},
      closed: new Promise<never>(() => {}),
      close: () => {},
      terminate: () => {},
    }
    const agent = {
      name: 'b',
      index: 0,
      address: '198.18.0.3',
      cpus: 2,
      clockOffsetMs: 0,
      roundTripMs: 0.2,
      socket,
    }
    const engine = createAgentEngine([agent], fakeEngine({}))
    await assert.rejects(
      engine.run({ baseUrl: 'http://127.0.0.1:8080' }, load, new AbortController().signal),
      (error: unknown) =>
        error instanceof BenchError &&
        error.kind === 'input' &&
        /the target 127\.0\.0\.1 is this machine's loopback, but agent b \(index 0, 198\.18\.0\.3\) dials in from another machine/.test(
          error.message,
        ),
    )
    assert.deepEqual(sent, [])
  })
})
