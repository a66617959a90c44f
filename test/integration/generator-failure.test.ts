import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { startResults } from '../../src/cli/start-results.js'
import { runPlan } from '../../src/execute/run-plan.js'
import type { ClosedLoadSpec } from '../../src/load/contract/load-spec.js'
import { GeneratorError } from '../../src/load/generator-error.js'
import { GeneratorPool } from '../../src/load/generator-pool.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { RunningStack } from '../../src/stacks/start-stack.js'

/** An HTTP server in this process: the stack the real generator threads load. */
async function okServer() {
  const server = createServer((_, response) => response.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) }
}

const closedLoad: ClosedLoadSpec = {
  engine: 'bench',
  protocol: 'http1',
  streams: 1,
  durationMs: 300,
  timeoutMs: 5000,
  requests: [{ method: 'GET', path: '/', headers: {} }],
  generators: 1,
  loop: 'closed',
  connections: 2,
  pipelining: 1,
}

/** A profile of one stack on an in-process server, its results file, and a launch that starts nothing. */
function setup(phases: string, baseUrl: string) {
  const text = `name: gen\napps: { x: { command: node, args: [--port, "{port}"] } }\nstacks: [{ name: s, app: x }]\nphases:\n${phases}`
  const parsed = parseProfile(text)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const dir = mkdtempSync(join(tmpdir(), 'bench-generator-'))
  const loaded = { profile: parsed.profile, file: join(dir, 'gen.yml'), dir, text }
  const launch = async (spec: { name: string }): Promise<RunningStack> => ({
    name: spec.name,
    baseUrl,
    processes: [],
    startupMs: 1,
    tiers: [],
    stop: async () => {},
  })
  return { loaded, dir, launch, ...startResults(loaded, join(dir, 'results.json')) }
}

describe('a failed generator fails its cell, with its message, and the run goes on', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  after(async () => {
    for (const step of cleanup.reverse()) await step()
  })

  it('a task the contract accepts but the engine rejects: that cell failed, the later cells ran', async () => {
    const server = await okServer()
    cleanup.push(server.close)
    const engine = createThreadedEngine()
    cleanup.push(engine.close)
    const { loaded, dir, launch, recorder, finish } = setup(
      '  - { name: open, rate: [200, 300], duration: 500ms, generators: 1 }\n  - { name: closed, connections: 2, duration: 500ms, generators: 1 }\n',
      server.baseUrl,
    )
    const plan = buildPlan(loaded.profile, { cpuCount: 2 })
    const run = plan.runs[0]
    assert.ok(run && run.steps.length === 3, 'one run of three steps')
    const first = run.steps[0]
    assert.ok(first?.load.loop === 'open')
    // autocannon runs no open loop: the profile rules refuse it, the contract does not (it checks shapes)
    first.load = { ...first.load, engine: 'autocannon' }
    await runPlan({
      plan,
      profile: loaded.profile,
      profileDir: dir,
      engine,
      record: recorder.record,
      signal: new AbortController().signal,
      onProgress: () => {},
      launch,
    })
    const results = finish('complete')
    const [failed, ...later] = results.trials
    assert.equal(failed?.status, 'failed')
    assert.match(
      failed?.failure?.message ?? '',
      /^generator thread 1 failed: engine autocannon cannot run a open-loop step$/,
    )
    assert.equal(later.length, 2)
    assert.ok(
      later.length > 0 && later.every((t) => t.status === 'ok' && (t.sample?.successes ?? 0) > 0),
      JSON.stringify(later),
    )
    const usage = later[1]?.sample?.generator
    assert.equal(usage?.generators?.[0]?.name, 'generator thread 1')
    assert.ok((usage?.generators?.[0]?.cpuPercent ?? 0) > 0, JSON.stringify(usage))
  })

  it('a thread that throws and dies: the step rejects with its message, and the pool starts a fresh thread', async () => {
    const server = await okServer()
    cleanup.push(server.close)
    const pool = new GeneratorPool(new URL('../fakes/crashing-generator.js', import.meta.url))
    cleanup.push(() => pool.close())
    const engine = createThreadedEngine(pool)
    const [before] = await pool.take(1)
    await assert.rejects(
      engine.run(server, closedLoad, new AbortController().signal),
      (error) =>
        error instanceof GeneratorError &&
        /^generator thread 1 failed: generator crashed on purpose$/.test(error.message),
    )
    const [replacement] = await pool.take(1)
    assert.ok(
      before && replacement && replacement.threadId !== before.threadId,
      'a fresh thread in its place',
    )
  })
})

describe('side loads on generators of their own', () => {
  it('slow clients and an idle crowd run on generator threads, each reporting its own usage', async () => {
    const server = await okServer()
    const engine = createThreadedEngine()
    try {
      const { loaded, dir, launch, recorder, finish } = setup(
        '  - { name: p, connections: 2, duration: 500ms, generators: 1, idleConnections: 5, slowClients: { kind: slow-headers, connections: 3 } }\n',
        server.baseUrl,
      )
      await runPlan({
        plan: buildPlan(loaded.profile, { cpuCount: 2 }),
        profile: loaded.profile,
        profileDir: dir,
        engine,
        record: recorder.record,
        signal: new AbortController().signal,
        onProgress: () => {},
        launch,
      })
      const results = finish('complete')
      const [trial] = results.trials
      assert.equal(trial?.status, 'ok', JSON.stringify(trial?.failure))
      assert.deepEqual(trial?.idle, { connections: 5, opened: 5, closed: 0 })
      assert.deepEqual(trial?.slowClients, {
        kind: 'slow-headers',
        connections: 3,
        served: 0,
        held: 3,
        closed: 0,
        refused: 0,
      })
      const usage = trial?.sample?.generator
      assert.deepEqual(usage?.generators?.map((g) => g.name).sort(), [
        'generator thread 1',
        'idle crowd',
        'slow clients',
      ])
      assert.equal(usage?.threads, 3)
      assert.ok(
        (usage?.generators ?? []).every((g) => g.cpuPercent > 0 && g.busy >= 0 && g.busy <= 1),
        JSON.stringify(usage),
      )
    } finally {
      await engine.close()
      await server.close()
    }
  })
})
