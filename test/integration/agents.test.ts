import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createAgentEngine } from '../../src/agents/agent-engine.js'
import { type Coordinator, startCoordinator } from '../../src/agents/start-coordinator.js'
import type { AgentSample } from '../../src/load/contract/agent-messages.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { countErrors } from '../../src/samples/count-errors.js'
import { summarizeLatency } from '../../src/samples/latency-histogram.js'
import { mergeSamples } from '../../src/samples/merge-samples.js'
import { freePort } from '../../src/stacks/free-port.js'
import {
  fixtures,
  mainJs,
  openLoad,
  readResults,
  repoRoot,
  runCli,
  tempDir,
  waitFor,
  writeProfile,
} from './harness.js'

const token = 'agents-test-token-0123456789abcdef'
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version

interface Agent {
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr: () => string
}

const started: ChildProcess[] = []

/** A `bench agent` process, dialing the coordinator at port. */
function startAgent(port: number, args: string[], env: Record<string, string> = {}): Agent {
  const child = spawn(process.execPath, [mainJs, 'agent', '--coordinator', `127.0.0.1:${port}`, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BENCH_AGENT_TOKEN: token, ...env },
  })
  started.push(child)
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, exited, stderr: () => stderr }
}

/** The test server: counts connections and requests; GET /stats tells. */
async function startServer(): Promise<{
  url: string
  stats: () => Promise<{ requests: number }>
  stop: () => void
}> {
  const port = await freePort('127.0.0.1')
  const child = spawn(process.execPath, [join(fixtures, 'count-connections.mjs'), '--port', String(port)], {
    stdio: 'ignore',
  })
  started.push(child)
  const url = `http://127.0.0.1:${port}`
  const stats = async () => (await (await fetch(`${url}/stats`)).json()) as { requests: number }
  for (let i = 0; i < 200; i++) {
    if (
      await stats().then(
        () => true,
        () => false,
      )
    )
      break
    await new Promise((r) => setTimeout(r, 25))
  }
  return { url, stats, stop: () => child.kill('SIGTERM') }
}

after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('bench agent: two agents on loopback, a coordinator in this process', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let coordinator: Coordinator
  let agents: Agent[]
  const local = createThreadedEngine()
  before(async () => {
    server = await startServer()
    const port = await freePort('127.0.0.1')
    const coordinating = startCoordinator({
      host: '127.0.0.1',
      port,
      agents: 2,
      token,
      timeoutMs: 30_000,
      version,
      log: () => {},
    })
    agents = [
      startAgent(port, ['--name', 'a', '--index', '0']),
      // its clock 5 s ahead: the coordinator's offset estimate must undo it
      startAgent(port, ['--name', 'b', '--index', '1'], { BENCH_AGENT_CLOCK_OFFSET_MS: '5000' }),
    ]
    coordinator = await coordinating
  })
  after(async () => {
    await coordinator?.close()
    await local.close()
    server?.stop()
  })

  it('measures each clock offset: the shifted agent 5 s ahead, within half its round trip', () => {
    const [a, b] = coordinator.agents
    assert.equal(a?.name, 'a')
    assert.equal(b?.name, 'b')
    assert.ok(
      Math.abs((a?.clockOffsetMs ?? 99) - 0) <= (a?.roundTripMs ?? 0) / 2 + 1,
      `a: ${a?.clockOffsetMs} ms`,
    )
    assert.ok(
      Math.abs((b?.clockOffsetMs ?? 0) - 5000) <= (b?.roundTripMs ?? 0) / 2 + 1,
      `b: ${b?.clockOffsetMs} ms`,
    )
  })

  it('offers the configured rate within 1 %, merges the agents’ samples exactly, and reports a start skew under 5 ms', async () => {
    const engine = createAgentEngine(coordinator.agents, local)
    // every sample each agent sends, as it crosses the wire
    const replies: AgentSample[] = []
    const unsubscribe = coordinator.agents.map((agent) =>
      agent.socket.onMessage((data) => {
        if ((data as { type?: string }).type === 'sample') replies[agent.index] = data as AgentSample
      }),
    )
    const before = (await server.stats()).requests
    const rate = 2000
    const sample = await engine.run(
      { baseUrl: server.url },
      openLoad({ from: rate, to: rate }, 3, 32),
      new AbortController().signal,
    )
    for (const stop of unsubscribe) stop()
    const served = (await server.stats()).requests - before
    assert.equal(replies.length, 2)
    const byHand = mergeSamples(
      replies.map((r) => r.sample),
      replies.map((r) => r.startOffsetMs),
    )
    // counts equal, and every percentile of the merged histogram equal to the one merged by hand
    assert.equal(sample.successes, byHand.successes)
    assert.equal(sample.histogram, byHand.histogram)
    assert.equal(sample.open?.correctedHistogram, byHand.open?.correctedHistogram)
    assert.deepEqual(
      summarizeLatency([sample.histogram]),
      summarizeLatency(replies.map((r) => r.sample.histogram)),
    )
    // each agent sent its half; together the configured rate, within 1 %
    const sent = sample.open?.sent ?? 0
    assert.ok(Math.abs(sent - rate * 3) <= rate * 3 * 0.01, `sent ${sent} of ${rate * 3}`)
    assert.ok(Math.abs(served - sent) <= sent * 0.01, `the server got ${served}, the agents sent ${sent}`)
    for (const r of replies) assert.ok(Math.abs((r.sample.open?.sent ?? 0) - rate * 1.5) <= rate * 1.5 * 0.01)
    // the saturation verdict's generators are the agents' threads, by name
    assert.deepEqual(
      sample.generator?.generators?.map((g) => g.name),
      ['agent a thread 1', 'agent b thread 1'],
    )
    const generator = sample.generator
    assert.deepEqual(
      generator?.agents?.map((a) => [a.index, a.name, a.requests]),
      replies.map((r, i) => [i, i === 0 ? 'a' : 'b', r.sample.successes + countErrors(r.sample.errors)]),
    )
    // the starts line up, agent b's 5 s clock shift undone
    assert.ok(
      generator?.startSkewMs !== undefined && generator.startSkewMs < 5,
      `start skew ${generator?.startSkewMs} ms`,
    )
  })

  it('an agent refuses a target off loopback and 198.18.0.0/15 before connecting: the step fails with its message', async () => {
    const engine = createAgentEngine(coordinator.agents, local)
    await assert.rejects(
      engine.run(
        { baseUrl: 'http://10.255.255.1:9' },
        openLoad({ from: 100, to: 100 }, 1, 2),
        new AbortController().signal,
      ),
      /agent a \(index 0, 127\.0\.0\.1\) failed: agent a refuses to load 10\.255\.255\.1: .*--allow-remote/,
    )
    assert.ok(!engine.lost, 'a refused step is no lost agent')
  })

  it('the agents exit 0 when the run is done, leaving nothing running', async () => {
    await coordinator.close()
    const exits = await Promise.all(agents.map((a) => a.exited))
    assert.deepEqual(exits, [
      { code: 0, signal: null },
      { code: 0, signal: null },
    ])
  })
})

describe('bench run --agents: refusals, timeouts and a lost agent', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const dir = tempDir()
  const tokenFile = join(dir, 'token')
  before(async () => {
    server = await startServer()
    writeFileSync(tokenFile, `${token}\n`)
  })
  after(() => server?.stop())

  it('refuses an agent with a wrong token and logs it; it gets no task, exits 2, and the run times out naming it', async () => {
    const port = await freePort('127.0.0.1')
    const out = join(dir, 'wrong-token.json')
    let agent: Agent | undefined
    const run = await runCli(
      [
        'run',
        '--url',
        server.url,
        '-r',
        '100',
        '-d',
        '1s',
        '--agents',
        '1',
        '--listen',
        `127.0.0.1:${port}`,
        '--token-file',
        tokenFile,
        '--agents-timeout',
        '4s',
        '--out',
        out,
        '--quiet',
      ],
      () => {
        agent = startAgent(port, ['--name', 'rogue'], { BENCH_AGENT_TOKEN: 'not-the-token-0123456789' })
      },
    )
    const exit = await agent?.exited
    assert.equal(exit?.code, 2, agent?.stderr())
    assert.match(agent?.stderr() ?? '', /does not know the agent token: wrong token/)
    assert.match(run.stderr, /agent at 127\.0\.0\.1 refused: wrong token/)
    assert.match(run.stderr, /0 of 1 agents came within 4 s: index 0 never joined/)
    assert.equal(run.code, 3)
    assert.equal((await server.stats()).requests, 0, 'no task was sent, no stack verified')
  })

  it('refuses a second agent on a taken index, naming who holds it (exit 2); a taken --listen port is exit 3', async () => {
    const port = await freePort('127.0.0.1')
    const coordinating = startCoordinator({
      host: '127.0.0.1',
      port,
      agents: 2,
      token,
      timeoutMs: 30_000,
      version,
      log: () => {},
    })
    const first = startAgent(port, ['--index', '0', '--name', 'a'])
    await waitFor('agent a joined', () => /joined the coordinator/.test(first.stderr()), 20_000)
    const second = startAgent(port, ['--index', '0', '--name', 'c'])
    assert.equal((await second.exited).code, 2)
    assert.match(second.stderr(), /refused agent c: index 0 is taken by agent a \(index 0, 127\.0\.0\.1\)/)
    const third = startAgent(port, ['--name', 'b'])
    const coordinator = await coordinating
    assert.deepEqual(
      coordinator.agents.map((a) => [a.index, a.name]),
      [
        [0, 'a'],
        [1, 'b'],
      ],
    )
    // the port is held now: a run that would listen there says so
    const run = await runCli([
      'run',
      '--url',
      server.url,
      '-r',
      '100',
      '-d',
      '1s',
      '--agents',
      '1',
      '--listen',
      `127.0.0.1:${port}`,
      '--token-file',
      tokenFile,
      '--out',
      join(dir, 'taken.json'),
    ])
    assert.equal(run.code, 3, run.stderr)
    assert.match(
      run.stderr,
      new RegExp(`bench: --listen 127\\.0\\.0\\.1:${port}: the port is taken\n {2}fix: pick a free port`),
    )
    await coordinator.close()
    assert.deepEqual([(await first.exited).code, (await third.exited).code], [0, 0])
  })

  it('refuses an agent of another bench version, saying both (exit 2)', async () => {
    const port = await freePort('127.0.0.1')
    const logged: string[] = []
    const stop = new AbortController()
    const coordinating = startCoordinator({
      host: '127.0.0.1',
      port,
      agents: 1,
      token,
      timeoutMs: 20_000,
      version: '99.0.0',
      log: (line) => logged.push(line),
      signal: stop.signal,
    })
    const agent = startAgent(port, ['--name', 'old'])
    assert.equal((await agent.exited).code, 2, agent.stderr())
    assert.match(
      agent.stderr(),
      new RegExp(
        `refused agent old: it runs bench ${version.replaceAll('.', '\\.')}, the coordinator bench 99\\.0\\.0`,
      ),
    )
    assert.ok(
      logged.some((l) => /agent old at 127\.0\.0\.1 refused: it runs bench/.test(l)),
      logged.join('\n'),
    )
    // the coordinator, still waiting, is interrupted: it closes and says so
    stop.abort()
    await assert.rejects(coordinating, /interrupted while waiting for the agents/)
  })

  it('an agent exits 3 when no coordinator answers within --connect-timeout, 2 without a token or with bad flags', async () => {
    const port = await freePort('127.0.0.1')
    const unreachable = startAgent(port, ['--connect-timeout', '1s'])
    assert.equal((await unreachable.exited).code, 3)
    assert.match(
      unreachable.stderr(),
      new RegExp(`the coordinator at 127\\.0\\.0\\.1:${port} did not answer within 1 s \\(ECONNREFUSED\\)`),
    )
    const tokenless = startAgent(port, [], { BENCH_AGENT_TOKEN: '' })
    assert.equal((await tokenless.exited).code, 2)
    assert.match(tokenless.stderr(), /bench: no agent token given\n {2}fix: give the same token/)
    const badIndex = startAgent(port, ['--index', '-1'])
    assert.equal((await badIndex.exited).code, 2)
    assert.match(badIndex.stderr(), /--index -1 is not an index/)
  })

  it('an agent that never comes: a clear error at --agents-timeout, the one that came told to go, nothing left running', async () => {
    const port = await freePort('127.0.0.1')
    let agent: Agent | undefined
    const run = await runCli(
      [
        'run',
        '--url',
        server.url,
        '-r',
        '100',
        '-d',
        '1s',
        '--agents',
        '2',
        '--listen',
        `127.0.0.1:${port}`,
        '--token-file',
        tokenFile,
        '--agents-timeout',
        '3s',
        '--out',
        join(dir, 'timeout.json'),
        '--quiet',
      ],
      () => {
        agent = startAgent(port, ['--index', '1', '--name', 'b'])
      },
    )
    assert.equal(run.code, 3, run.stderr)
    assert.match(run.stderr, /1 of 2 agents ready/)
    assert.match(
      run.stderr,
      /bench: 1 of 2 agents came within 3 s: index 0 never joined\n {2}fix: start the missing agents/,
    )
    const exit = await agent?.exited
    assert.equal(exit?.code, 3, agent?.stderr())
    assert.match(agent?.stderr() ?? '', /went away before the run was done/)
  })

  it('an agent killed mid-step: that cell fails naming it, the run stops there with the completed cells kept, exit 4', async () => {
    const port = await freePort('127.0.0.1')
    const { file, dir: profileDir } = writeProfile(`
name: agents-lost
stacks:
  - name: target
    url: ${server.url}
phases:
  - name: first
    rate: 200
    duration: 1s
  - name: second
    rate: 200
    duration: 20s
  - name: third
    rate: 200
    duration: 1s
`)
    const out = join(profileDir, 'lost.json')
    const agentsUp: Agent[] = []
    const run = await runCli(
      [
        'run',
        file,
        '--agents',
        '2',
        '--listen',
        `127.0.0.1:${port}`,
        '--token-file',
        tokenFile,
        '--out',
        out,
        '--quiet',
      ],
      () => {
        agentsUp.push(
          startAgent(port, ['--index', '0', '--name', 'a']),
          startAgent(port, ['--index', '1', '--name', 'b']),
        )
        // once the first phase is recorded (the second is under way), agent b dies
        void waitFor(
          'the first phase recorded',
          () => {
            try {
              return readFileSync(out.replace(/\.json$/, '.jsonl'), 'utf8').includes('"phase":"first"')
            } catch {
              return false
            }
          },
          60_000,
        ).then(() => agentsUp[1]?.child.kill('SIGKILL'))
      },
    )
    assert.equal(run.code, 4, run.stderr)
    assert.match(run.stderr, /agent b \(index 1, 127\.0\.0\.1\) was lost mid-step: its connection closed/)
    // the step line of the completed cell says how far apart the agents started
    assert.match(run.stderr, /first c=\d+: [\d,]+ req\/s, 2 agents, start skew \d+\.\d ms/)
    const results = readResults(out)
    assert.equal(results.status, 'failed')
    assert.deepEqual(
      results.trials.map((t) => [t.phase, t.status]),
      [
        ['first', 'ok'],
        ['second', 'failed'],
      ],
    )
    assert.match(
      results.trials[1]?.failure?.message ?? '',
      /agent b \(index 1, 127\.0\.0\.1\) was lost mid-step/,
    )
    assert.deepEqual(
      results.agents?.map((a) => [a.index, a.name, a.steps.length]),
      [
        [0, 'a', 1],
        [1, 'b', 1],
      ],
    )
    // agent a was told the run is over; nothing is left running
    assert.equal((await agentsUp[0]?.exited)?.code, 0, agentsUp[0]?.stderr())
    assert.equal((await agentsUp[1]?.exited)?.signal, 'SIGKILL')
  })
})
