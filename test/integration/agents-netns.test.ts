// Load from several machines, on real processes on separate network stacks: the coordinator, two agents and the
// target each in a network namespace of its own (test/netns.ts: a bridge in its own namespace, 198.18.X.0/24, no
// default route), bench started in them with `ip netns exec`. The target is a `url:` stack served by
// test/fixtures/count-connections.mjs, which counts connections and requests by client address: what each agent
// really sent, seen from the far side. Steps are short (1–2 s) and cells few: the file runs in well under 90 s.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import * as hdr from 'hdr-histogram-js'
import type { ResultSet } from '../../src/results/results-file-schema.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'
import { createTestNetwork, type NetnsProcess, type TestNetwork } from '../netns.js'
import { startTestSsh } from '../sshd.js'
import { fixtures, hasStackTrace, mainJs, readResults, repoRoot, tempDir, waitFor } from './harness.js'

const roles = ['coordinator', 'agent1', 'agent2', 'target'] as const
type Role = (typeof roles)[number]
const agentRoles = ['agent1', 'agent2'] as const
const targetPort = 8080
const coordinatorPort = 7070
const token = 'netns-test-token-0123456789abcdef'
/** The open-loop step every rate check uses: 2 agents × 1,500 req/s for 2 s. */
const rate = 3000
const openSeconds = 2
const closedConnections = 16

interface Counts {
  connections: number
  requests: number
  /** When its first request since the last /mark reached the target, epoch ms on the target's clock. */
  firstRequestAt?: number
}
interface TargetStats {
  byAddress: Record<string, Counts>
}

describe('load from several machines, each role in its own network namespace', () => {
  let net: TestNetwork
  let dir: string
  let tokenFile: string
  let target: NetnsProcess

  before(async () => {
    net = await createTestNetwork(roles)
    dir = tempDir()
    tokenFile = join(dir, 'token')
    writeFileSync(tokenFile, `${token}\n`)
    // The target also answers on 192.0.2.13 (TEST-NET-1, off the allowed networks), on-link for the other roles:
    // for the agent that must refuse to load it. Still all inside our namespaces.
    await net.exec('target', 'ip', ['addr', 'add', '192.0.2.13/24', 'dev', 'eth0'])
    for (const role of ['coordinator', ...agentRoles]) {
      await net.exec(role, 'ip', ['route', 'add', '192.0.2.0/24', 'dev', 'eth0'])
    }
    target = net.spawn('target', process.execPath, [
      join(fixtures, 'count-connections.mjs'),
      '--port',
      String(targetPort),
      '--host',
      '0.0.0.0',
    ])
    await net.waitForPort('target', targetPort)
  })
  after(async () => {
    try {
      await net?.remove()
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true })
    }
  })

  /** What the current test started (stopped after it, whatever happened), with a name for its output. */
  let started: { what: string; proc: NetnsProcess }[] = []
  afterEach(async () => {
    for (const { proc } of started) await proc.stop(1000)
    started = []
  })
  /** Everything the test's processes printed: the message of a failed wait. */
  const outputs = () => started.map(({ what, proc }) => `--- ${what}:\n${proc.output()}`).join('\n')

  const coordinatorAt = () => `${net.address('coordinator')}:${coordinatorPort}`

  /** A profile of one url stack (the target on `host`) and the given phases. */
  function profile(name: string, phases: string, host = net.address('target')): string {
    const file = join(dir, `${name}.yml`)
    writeFileSync(
      file,
      `name: ${name}\ntrials: 1\nstacks:\n  - { name: target, url: "http://${host}:${targetPort}" }\nphases:\n${phases}`,
    )
    return file
  }
  const openPhase = `  - { name: open, rate: ${rate}, maxConnections: 64, duration: ${openSeconds}s, requests: [{ path: / }] }\n`
  const closedPhase = `  - { name: closed, connections: ${closedConnections}, duration: 1s, requests: [{ path: / }] }\n`

  /** `bench ARGS` inside a role's namespace. */
  function bench(role: Role, args: string[], env: Record<string, string> = {}): NetnsProcess {
    const proc = net.spawn(role, process.execPath, [mainJs, ...args], { env, cwd: repoRoot })
    started.push({ what: `bench ${args[0]} in ${role}`, proc })
    return proc
  }
  /** The coordinator: `bench run PROFILE --agents N --listen C:7070 --token-file F --out OUT`. */
  function coordinator(profileFile: string, out: string, extra: string[] = []): NetnsProcess {
    return bench('coordinator', [
      'run',
      profileFile,
      '--agents',
      '2',
      '--listen',
      coordinatorAt(),
      '--token-file',
      tokenFile,
      '--out',
      out,
      '--quiet',
      ...extra,
    ])
  }
  /** `bench agent` in an agent's namespace. */
  function agent(
    role: (typeof agentRoles)[number],
    options: {
      env?: Record<string, string>
      coordinator?: string
      tokenFile?: string
      extra?: string[]
    } = {},
  ): NetnsProcess {
    return bench(
      role,
      [
        'agent',
        '--coordinator',
        options.coordinator ?? coordinatorAt(),
        '--index',
        String(agentRoles.indexOf(role)),
        '--name',
        role,
        '--token-file',
        options.tokenFile ?? tokenFile,
        ...(options.extra ?? []),
      ],
      options.env,
    )
  }
  async function exitOf(proc: NetnsProcess, what: string, timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} still running after ${timeoutMs} ms:\n${outputs()}`)),
        timeoutMs,
      )
    })
    try {
      return (await Promise.race([proc.exited, timeout])).code
    } finally {
      clearTimeout(timer)
    }
  }
  /** What the target has counted so far, by client address (asked from the coordinator's namespace). */
  async function targetStats(path = '/stats'): Promise<TargetStats> {
    const script = `fetch('http://${net.address('target')}:${targetPort}${path}').then((r) => r.text()).then((t) => console.log(t))`
    const text = await net.exec('coordinator', process.execPath, ['-e', script])
    return (path === '/stats' ? JSON.parse(text) : { byAddress: {} }) as TargetStats
  }
  const countsOf = (stats: TargetStats, role: Role): Counts =>
    stats.byAddress[net.address(role)] ?? { connections: 0, requests: 0 }
  /** Nothing of ours is left running: each namespace holds only what `keep` names (the target's server). */
  async function nothingLeft(
    keep: Partial<Record<Role, number[]>> = { target: [target.pid] },
  ): Promise<void> {
    for (const role of roles) {
      const want = keep[role] ?? []
      assert.deepEqual(await net.settledPids(role, want), want, `processes left in the ${role} namespace`)
    }
  }
  const steps = (results: ResultSet): TrialRecord[] => results.trials
  /** test/fixtures/ws-tap.mjs in an agent's namespace: 127.0.0.1:7071 there → the coordinator, written to `file`. */
  function wireTap(role: Role, file: string): NetnsProcess {
    const proc = net.spawn(role, process.execPath, [
      join(fixtures, 'ws-tap.mjs'),
      '--listen',
      `127.0.0.1:${coordinatorPort + 1}`,
      '--to',
      coordinatorAt(),
      '--out',
      file,
    ])
    started.push({ what: `wire tap in ${role}`, proc })
    return proc
  }

  it('two agents offer the configured rate within 1 %, merge exactly, and start within 5 ms', async (t) => {
    const out = join(dir, 'open.json')
    const before = await targetStats()
    // Each agent dials the coordinator through a wire tap in its own namespace: every agent's samples as sent.
    const taps = agentRoles.map((role) => {
      const file = join(dir, `tap-${role}.jsonl`)
      return { role, file, tap: wireTap(role, file) }
    })
    for (const role of agentRoles) await net.waitForPort(role, coordinatorPort + 1)
    const run = coordinator(profile('open', openPhase), out)
    // the tap relays a connection only to a coordinator already listening
    await net.waitForPort('coordinator', coordinatorPort)
    const agents = agentRoles.map((role) => agent(role, { coordinator: `127.0.0.1:${coordinatorPort + 1}` }))
    assert.equal(await exitOf(run, 'the coordinator'), 0, outputs())
    for (const [i, proc] of agents.entries()) assert.equal(await exitOf(proc, `agent ${i}`), 0, outputs())
    const stats = await targetStats()
    const results = readResults(out)
    const [trial] = steps(results)
    assert.ok(trial?.sample?.open, 'an open-loop step with its sample')
    const sample = trial.sample
    const open = trial.sample.open

    // The rate: offered by both together within 1 % of the configured one, and received by the target.
    const configured = rate * openSeconds
    assert.ok(Math.abs(open.sent - configured) / configured < 0.01, `sent ${open.sent} of ${configured}`)
    const received = agentRoles.map(
      (role) => countsOf(stats, role).requests - countsOf(before, role).requests,
    )
    const [got1 = 0, got2 = 0] = received
    assert.ok(
      Math.abs(got1 + got2 - configured) / configured < 0.01,
      `the target got ${received.join(' + ')} of ${configured}`,
    )
    // Split by share: each agent half of it, within 1 %.
    for (const got of [got1, got2])
      assert.ok(Math.abs(got - configured / 2) / (configured / 2) < 0.01, `${got}`)

    // The merge: the coordinator's histogram is the one built from every agent's own samples, as sent.
    const sent = taps.map(({ file }) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map(
          (line) =>
            JSON.parse(line) as {
              from: string
              type: string
              sample?: { successes: number; histogram: string }
            },
        )
        .filter((message) => message.type === 'sample'),
    )
    assert.deepEqual(
      sent.map((samples) => samples.length),
      [1, 1],
      'one sample per agent',
    )
    const agentSamples = sent.map((samples) => samples[0]?.sample as { successes: number; histogram: string })
    assert.equal(
      sample.successes,
      agentSamples.reduce((sum, one) => sum + one.successes, 0),
    )
    const decode = (text: string) => hdr.decodeFromCompressedBase64(text, 64, false)
    const rebuilt = hdr.build({
      bitBucketSize: 64,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    })
    for (const one of agentSamples) rebuilt.add(decode(one.histogram))
    const merged = decode(sample.histogram)
    assert.equal(merged.totalCount, rebuilt.totalCount)
    assert.equal(merged.totalCount, sample.successes)
    for (let p = 0; p <= 100; p += 0.1) {
      assert.equal(
        merged.getValueAtPercentile(p),
        rebuilt.getValueAtPercentile(p),
        `percentile ${p.toFixed(1)}`,
      )
    }
    for (const p of [99.9, 99.99, 99.999, 100])
      assert.equal(merged.getValueAtPercentile(p), rebuilt.getValueAtPercentile(p))
    assert.equal(merged.maxValue, rebuilt.maxValue)
    assert.equal(merged.minNonZeroValue, rebuilt.minNonZeroValue)

    // The start skew: measured, stored, under 5 ms.
    const skew = sample.generator?.startSkewMs
    assert.equal(typeof skew, 'number', 'the step stores its start skew')
    assert.ok((skew as number) >= 0 && (skew as number) < 5, `start skew ${skew} ms`)
    assert.deepEqual(results.agents?.map((a) => a.name).sort(), ['agent1', 'agent2'])
    await nothingLeft({
      target: [target.pid],
      agent1: [taps[0]?.tap.pid ?? 0],
      agent2: [taps[1]?.tap.pid ?? 0],
    })
    for (const { tap } of taps) await tap.stop()

    // Beside it, one generator at the same total load from one namespace (agent1's), no agents.
    const single = bench('agent1', [
      'run',
      profile('open', openPhase),
      '--out',
      join(dir, 'single.json'),
      '--quiet',
    ])
    assert.equal(await exitOf(single, 'the single-generator run'), 0, outputs())
    const alone = readResults(join(dir, 'single.json')).trials[0]?.sample
    const ms = (h: hdr.Histogram, p: number) => (h.getValueAtPercentile(p) / 1000).toFixed(3)
    const aloneHistogram = decode(alone?.histogram ?? '')
    t.diagnostic(
      `two agents, open loop ${rate} req/s for ${openSeconds} s: agent1 ${got1 / openSeconds} req/s, agent2 ${got2 / openSeconds} req/s (at the target); ` +
        `merged p50 ${ms(merged, 50)} ms p99 ${ms(merged, 99)} ms; start skew ${(skew as number).toFixed(3)} ms; ` +
        `one generator alone: ${((alone?.successes ?? 0) / openSeconds).toFixed(0)} req/s p50 ${ms(aloneHistogram, 50)} ms p99 ${ms(aloneHistogram, 99)} ms`,
    )
  })

  /** Each agent's measured clock and its actual start of each step: the message of a failed skew check. */
  const clocksOf = (results: ResultSet) =>
    JSON.stringify(
      results.agents?.map((a) => ({
        name: a.name,
        offset: a.clockOffsetMs,
        rtt: a.roundTripMs,
        start: a.steps.map((step) => step.startMs),
      })),
    )

  it('closed loop: the agents open the configured connections between them', async (t) => {
    const out = join(dir, 'closed.json')
    const before = await targetStats()
    const run = coordinator(profile('closed', closedPhase), out)
    const agents = agentRoles.map((role) => agent(role))
    assert.equal(await exitOf(run, 'the coordinator'), 0, outputs())
    for (const proc of agents) assert.equal(await exitOf(proc, 'an agent'), 0, outputs())
    const stats = await targetStats()
    const opened = agentRoles.map(
      (role) => countsOf(stats, role).connections - countsOf(before, role).connections,
    )
    assert.deepEqual(
      opened,
      [closedConnections / 2, closedConnections / 2],
      'connections opened by each agent',
    )
    const results = readResults(out)
    assert.equal(
      results.trials[0]?.sample?.successes,
      (results.agents ?? []).reduce((sum, a) => sum + (a.steps[0]?.requests ?? 0), 0),
    )
    t.diagnostic(
      `closed loop ${closedConnections} connections: opened ${opened.join(' + ')}; start skew ${results.trials[0]?.sample?.generator?.startSkewMs?.toFixed(3)} ms; ${clocksOf(results)}`,
    )
    await nothingLeft()
  })

  it('a clock offset injected into one agent: measured, undone, and the starts still line up', async (t) => {
    const out = join(dir, 'offset.json')
    const phase = `  - { name: open, rate: ${rate}, maxConnections: 64, duration: 1s }\n`
    await targetStats('/mark') // the target notes when each agent's first request comes from now on
    const run = coordinator(profile('offset', phase), out)
    // agent2's clock runs 400 ms ahead: the coordinator measures the offset and shifts its start time.
    const agents = [agent('agent1'), agent('agent2', { env: { BENCH_AGENT_CLOCK_OFFSET_MS: '400' } })]
    assert.equal(await exitOf(run, 'the coordinator'), 0, outputs())
    for (const proc of agents) assert.equal(await exitOf(proc, 'an agent'), 0, outputs())
    const results = readResults(out)
    const shifted = results.agents?.find((a) => a.name === 'agent2')
    assert.ok(shifted, 'agent2 joined')
    // the estimate is known to within half the round trip of its exchange
    assert.ok(
      Math.abs(shifted.clockOffsetMs - 400) <= shifted.roundTripMs / 2 + 0.5,
      `agent2's measured offset ${shifted.clockOffsetMs} (round trip ${shifted.roundTripMs} ms)`,
    )
    const skew = results.trials[0]?.sample?.generator?.startSkewMs
    assert.ok(
      typeof skew === 'number' && skew >= 0 && skew < 5,
      `start skew ${skew} ms with a 400 ms clock offset: ${clocksOf(results)}`,
    )
    // and seen from the target, on its one clock: each agent's first request (each share's first intended send is
    // within one interval of the rate of the start). This view adds the network's and the target's own event
    // loop's delay (a busy 2-core machine here: up to 7 ms seen, where bench's skew read < 5 ms), so its bound is
    // what tells an undone offset from a 400 ms one: under 20 ms (5 % of the offset)
    const seen = await targetStats()
    const firsts = agentRoles.map((role) => countsOf(seen, role).firstRequestAt)
    assert.ok(
      firsts.every((f) => typeof f === 'number'),
      `each agent's first request was seen: ${firsts.join(', ')}`,
    )
    const apart = Math.abs((firsts[0] as number) - (firsts[1] as number))
    assert.ok(apart < 20, `the agents' first requests reached the target ${apart.toFixed(3)} ms apart`)
    t.diagnostic(
      `agent2's clock 400 ms ahead: measured ${shifted.clockOffsetMs.toFixed(3)} ms (round trip ${shifted.roundTripMs.toFixed(3)} ms), start skew ${skew.toFixed(3)} ms, first requests at the target ${apart.toFixed(3)} ms apart`,
    )
    await nothingLeft()
  })

  it('an agent killed mid-step fails that cell naming it; completed cells are kept; nothing is left running', async () => {
    const out = join(dir, 'killed.json')
    const phases = `  - { name: first, rate: 500, maxConnections: 16, duration: 1s }\n  - { name: second, rate: 500, maxConnections: 16, duration: 2s }\n`
    const run = coordinator(profile('killed', phases), out)
    const [killed, other] = agentRoles.map((role) => agent(role))
    assert.ok(killed && other)
    const records = `${out}l`
    await waitFor(
      'the first step to be recorded',
      () => existsSync(records) && readFileSync(records, 'utf8').includes('"kind":"step"'),
      20_000,
    )
    process.kill(killed.pid, 'SIGKILL')
    assert.equal(await exitOf(run, 'the coordinator'), 4, outputs())
    assert.match(run.output(), /agent1/)
    assert.ok(!hasStackTrace(run.output()), run.output())
    const results = readResults(out)
    const byPhase = new Map(results.cells.map((cell) => [cell.phase, cell]))
    assert.equal(
      byPhase.get('first')?.status,
      'ok',
      `the completed cell kept: ${JSON.stringify(results.cells)}`,
    )
    assert.equal(byPhase.get('second')?.status, 'failed')
    assert.match(
      byPhase
        .get('second')
        ?.failures.map((f) => f.message)
        .join('\n') ?? '',
      /agent1/,
    )
    assert.notEqual(await exitOf(other, 'the other agent'), null)
    await nothingLeft()
  })

  it('an agent that never comes: a clear error at the timeout, nothing left running', async () => {
    const out = join(dir, 'missing.json')
    const run = coordinator(profile('missing', closedPhase), out, ['--agents-timeout', '2s'])
    const present = agent('agent1')
    const started = Date.now()
    const code = await exitOf(run, 'the coordinator')
    assert.equal(code, 3, outputs())
    assert.ok(Date.now() - started < 10_000, 'it gave up at the timeout')
    assert.match(run.output(), /1 of 2 agents/)
    assert.match(run.output(), /fix: /)
    assert.ok(!hasStackTrace(run.output()), run.output())
    assert.notEqual(await exitOf(present, 'the agent that came'), null)
    await nothingLeft()
  })

  it('a wrong token is refused and logged, and no task is sent', async () => {
    const out = join(dir, 'token.json')
    const wrong = join(dir, 'wrong-token')
    writeFileSync(wrong, 'not-the-token-0123456789abcdef\n')
    const before = await targetStats()
    const tapFile = join(dir, 'tap-wrong.jsonl')
    const tap = wireTap('agent2', tapFile)
    await net.waitForPort('agent2', coordinatorPort + 1)
    const run = coordinator(profile('token', closedPhase), out, ['--agents-timeout', '3s'])
    await net.waitForPort('coordinator', coordinatorPort)
    const impostor = agent('agent2', { tokenFile: wrong, coordinator: `127.0.0.1:${coordinatorPort + 1}` })
    assert.equal(await exitOf(impostor, 'the agent with the wrong token'), 2, outputs())
    assert.notEqual(await exitOf(run, 'the coordinator'), 0)
    const types = readFileSync(tapFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { from: string; type: string })
    assert.ok(!types.some((m) => m.from === 'coordinator' && m.type === 'task'), 'no task was sent')
    // The coordinator got as far as its challenge, then refused: no welcome, no task.
    assert.deepEqual(
      types.filter((m) => m.from === 'coordinator').map((m) => m.type),
      ['challenge', 'refused'],
      JSON.stringify(types),
    )
    // Both sides log it: the agent (exit 2) and the coordinator, naming the agent's address.
    assert.match(impostor.output(), /does not know the agent token/)
    const address = net.address('agent2').replaceAll('.', '\\.')
    assert.match(run.output(), new RegExp(`agent at ${address} refused: wrong token`))
    const after = await targetStats()
    assert.deepEqual(countsOf(after, 'agent2'), countsOf(before, 'agent2'), 'nothing reached the target')
    await tap.stop()
    await nothingLeft()
  })

  it('an agent told to load an address off the allowed networks refuses it', async () => {
    const out = join(dir, 'remote.json')
    const before = await targetStats()
    // The coordinator is allowed (--allow-remote); the agents, started without it, apply the rule themselves.
    const run = coordinator(profile('remote', closedPhase, '192.0.2.13'), out, ['--allow-remote'])
    const agents = agentRoles.map((role) => agent(role))
    assert.equal(await exitOf(run, 'the coordinator'), 4, outputs())
    const cell = readResults(out).cells[0]
    assert.equal(cell?.status, 'failed')
    assert.match(cell?.failures.map((f) => f.message).join('\n') ?? '', /refuses to load 192\.0\.2\.13/)
    for (const proc of agents) assert.notEqual(await exitOf(proc, 'an agent'), null)
    const after = await targetStats()
    for (const role of agentRoles)
      assert.deepEqual(countsOf(after, role), countsOf(before, role), `${role} sent nothing`)
    await nothingLeft()
  })

  it('--agents-ssh starts the agents over ssh (Debian sshd in their namespaces) and leaves nothing behind', async () => {
    const ssh = await startTestSsh(net, agentRoles)
    try {
      // A host whose ssh fails: the target's address, where no sshd listens.
      writeFileSync(
        ssh.clientConfig,
        `${readFileSync(ssh.clientConfig, 'utf8')}\nHost nosshd\n  HostName ${net.address('target')}\n  ConnectTimeout 5\n`,
      )
      const overSsh = (hosts: string[], out: string, extra: string[] = []) =>
        bench('coordinator', [
          'run',
          profile('ssh', closedPhase),
          '--agents-ssh',
          hosts.join(','),
          '--agents-ssh-config',
          ssh.clientConfig,
          '--agents-ssh-command',
          join(repoRoot, 'bench'),
          '--listen',
          coordinatorAt(),
          '--token-file',
          tokenFile,
          '--out',
          out,
          '--quiet',
          ...extra,
        ])
      const sshd = (role: Role) => ssh.servers.get(role)?.pid ?? 0
      const onlySshd = { target: [target.pid], agent1: [sshd('agent1')], agent2: [sshd('agent2')] }

      const out = join(dir, 'ssh.json')
      const run = overSsh([...agentRoles], out)
      assert.equal(await exitOf(run, 'the coordinator'), 0, outputs())
      const results = readResults(out)
      assert.deepEqual(results.agents?.map((a) => [a.index, a.name]).sort(), [
        [0, 'agent1'],
        [1, 'agent2'],
      ])
      assert.equal(results.trials[0]?.status, 'ok')
      await nothingLeft(onlySshd)

      // One host unreachable: a clear error naming it with ssh's words, at once (not at the 60 s timeout), and
      // the agent started on the other host is stopped with its session.
      const failing = overSsh(['agent1', 'nosshd'], join(dir, 'ssh-failed.json'), ['--agents-timeout', '60s'])
      const began = Date.now()
      assert.equal(await exitOf(failing, 'the coordinator'), 3, outputs())
      assert.ok(Date.now() - began < 20_000, 'it did not wait for the timeout')
      assert.match(failing.output(), /bench: the agent on nosshd over ssh exited 255: .*Connection refused/)
      assert.match(failing.output(), /fix: /)
      assert.ok(!hasStackTrace(failing.output()), failing.output())
      await nothingLeft(onlySshd)

      // Ctrl-C mid-step: the run stops, the sessions are closed, the agents end with them.
      const interrupted = join(dir, 'ssh-interrupted.json')
      const longer = overSsh([...agentRoles], interrupted)
      await waitFor(
        'the agents to be in and the step to run',
        () =>
          existsSync(`${interrupted}l`) &&
          readFileSync(`${interrupted}l`, 'utf8').includes('"kind":"stack-ready"'),
        20_000,
      )
      process.kill(longer.pid, 'SIGINT')
      assert.equal(await exitOf(longer, 'the interrupted coordinator'), 130, outputs())
      await nothingLeft(onlySshd)
    } finally {
      await ssh.remove()
    }
    assert.ok(!existsSync(ssh.dir), 'keys and configs removed')
  })
})
