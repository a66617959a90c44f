import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { startResults } from '../../src/cli/start-results.js'
import { runCapacity } from '../../src/execute/run-capacity.js'
import { runPlan } from '../../src/execute/run-plan.js'
import { evaluateGate } from '../../src/gate/evaluate-gate.js'
import { pairStacks } from '../../src/gate/pair-cells.js'
import { GeneratorError } from '../../src/load/generator-error.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { readResultSet } from '../../src/results/read-result-set.js'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { fakeEngine, fakeStack } from '../fakes/fake-engine.js'

/** A fixed environment: collecting the real one runs git and every server's --version, processes a unit test
 * does not start. */
const environment = {
  node: process.version,
  platform: 'linux',
  kernel: 'test',
  cpuModel: 'test',
  cpuCount: 2,
  memoryGiB: 4,
  versions: {},
  gitCommit: null,
}

function load(yaml: string) {
  const text = `name: fake\napps: { x: { command: node, args: [--port, "{port}"] } }\n${yaml}`
  const parsed = parseProfile(text)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const dir = mkdtempSync(join(tmpdir(), 'bench-fake-'))
  const loaded = { profile: parsed.profile, file: join(dir, 'fake.yml'), dir, text }
  return { loaded, ...startResults(loaded, join(dir, 'results.json'), { environment }) }
}

const quiet = () => {}

describe('the orchestration with a fake engine and fake stacks: no sockets, no processes', () => {
  it('runPlan interleaves trials, records every cell and saves valid results; the gate sees a 10 % regression', async () => {
    const { loaded, recorder, finish, resultsFile, recordsFile } = load(
      'trials: 6\ngate: { baseline: a, candidate: b, alternate: restart }\nstacks: [{ name: a, app: x }, { name: b, app: x }]\nphases: [{ name: p, connections: [10, 40], duration: 1s }]\n',
    )
    const engine = fakeEngine({
      a: { capacity: 2000, serviceMs: 1, noise: 0.01 },
      b: { capacity: 1800, serviceMs: 1, noise: 0.01 },
    })
    const plan = buildPlan(loaded.profile, { cpuCount: 2 })
    const order: string[] = []
    await runPlan({
      plan,
      profile: loaded.profile,
      profileDir: loaded.dir,
      engine,
      record: recorder.record,
      signal: new AbortController().signal,
      onProgress: (e) => e.kind === 'stack-started' && order.push(e.run.stack.name),
      launch: fakeStack,
    })
    assert.deepEqual(order, ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b', 'b', 'a'])
    assert.equal(engine.steps, 24)
    finish('complete')
    // the records file holds every record, one line each, in order: each stack run started, ready, its two
    // steps, stopped; then the end
    const lines = readFileSync(recordsFile, 'utf8').trimEnd().split('\n')
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      JSON.parse(JSON.stringify(recorder.records)),
    )
    const kinds = recorder.records.map((r) => r.kind)
    assert.equal(kinds.length, 2 + 12 * 5)
    assert.deepEqual(kinds.slice(0, 6), [
      'run-started',
      'stack-started',
      'stack-ready',
      'step',
      'step',
      'stack-stopped',
    ])
    assert.equal(kinds.at(-1), 'run-finished')
    const saved = resultSetSchema.parse(JSON.parse(readFileSync(resultsFile, 'utf8')))
    assert.equal(saved.status, 'complete')
    assert.equal(saved.cells.length, 4)
    // c=10 at 1 ms is 10,000 req/s offered to a 2,000 req/s server: capacity-bound, latency by Little's law
    const a40 = saved.cells.find((c) => c.stack === 'a' && c.step === 1)
    assert.ok(a40?.stats && Math.abs(a40.stats.reqPerSec / 2000 - 1) < 0.02, JSON.stringify(a40?.stats))
    assert.ok(Math.abs((a40?.stats?.latency.p50 ?? 0) / 20 - 1) < 0.03, `p50 ${a40?.stats?.latency.p50}`)
    const gate = evaluateGate(pairStacks(saved, 'a', 'b'), loaded.profile.gate ?? ({} as never), 'a', 'b')
    assert.equal(gate.verdict, 'regression')
    const throughput = gate.rows.filter((r) => r.metric === 'reqPerSec')
    assert.ok(
      throughput.length === 2 && throughput.every((r) => r.verdict === 'fail'),
      JSON.stringify(throughput),
    )
  })

  it('a generator failure that ends the run (an agent lost) fails its cell, then stops the run: exit 4, the cells before it kept', async () => {
    const { loaded, recorder } = load(
      'stacks: [{ name: a, app: x }, { name: b, app: x }]\nphases: [{ name: p, connections: [10, 20, 40], duration: 1s }]\n',
    )
    const fake = fakeEngine({ a: { capacity: 2000, serviceMs: 1 }, b: { capacity: 2000, serviceMs: 1 } })
    let steps = 0
    const engine = {
      ...fake,
      run: (...args: Parameters<typeof fake.run>) =>
        ++steps === 2
          ? Promise.reject(new GeneratorError('agent b (index 1, 198.18.0.3) was lost mid-step: gone', true))
          : fake.run(...args),
    }
    await assert.rejects(
      runPlan({
        plan: buildPlan(loaded.profile, { cpuCount: 2 }),
        profile: loaded.profile,
        profileDir: loaded.dir,
        engine,
        record: recorder.record,
        signal: new AbortController().signal,
        onProgress: quiet,
        launch: fakeStack,
      }),
      (error: unknown) =>
        error instanceof BenchError &&
        error.kind === 'stack' &&
        /agent b .* was lost mid-step/.test(error.message),
    )
    assert.equal(steps, 2, 'no step after the lost agent')
    assert.deepEqual(
      recorder.records.map((r) => (r.kind === 'step' ? `step ${r.connections} ${r.status}` : r.kind)),
      ['run-started', 'stack-started', 'stack-ready', 'step 10 ok', 'step 20 failed', 'stack-stopped'],
    )
  })

  it('the SLO search finds a 400 req/s server at 400 within its precision, no stack started', async () => {
    const { loaded, recorder, finish } = load(
      'slo: { p99: 50ms }\ncapacity: { precision: 2 }\nstacks: [{ name: s, app: x }]\nphases: [{ name: p, rate: 100, duration: 2s }]\n',
    )
    await runCapacity({
      profile: loaded.profile,
      profileDir: loaded.dir,
      engine: fakeEngine({ s: { capacity: 400, serviceMs: 2 } }),
      recorder,
      signal: new AbortController().signal,
      planOptions: { cpuCount: 2 },
      headroom: 0.75,
      target: 2000,
      onProgress: quiet,
      onSearchStep: quiet,
      launch: fakeStack,
    })
    const results = finish('complete')
    const search = results.capacity?.searches[0]
    assert.equal(search?.status, 'found', JSON.stringify(search?.note))
    const max = search?.maxRate ?? 0
    assert.ok(max <= 400 && max >= 400 * 0.98, `max ${max}`)
    assert.equal(search?.machines, Math.ceil(2000 / (max * 0.75)))
  })

  it('with slo: and scaling:, the run is complete only once the sweep has run too: the status is written once, at the end', async () => {
    const { loaded, recorder, finish, resultsFile } = load(
      'slo: { p99: 50ms }\ncapacity: { precision: 10 }\nscaling: { instances: [1, 2] }\nstacks: [{ name: s, app: x, proxy: nginx }]\nphases: [{ name: p, rate: 100, duration: 1s }, { name: c, connections: 10, duration: 1s }]\n',
    )
    const statusAtSweep: string[] = []
    recorder.listen((r) => {
      // the sweep's first stack start: the search is over, the sweep not yet
      if (r.kind === 'stack-started' && r.stack !== 's' && statusAtSweep.length === 0)
        statusAtSweep.push(readResultSet(resultsFile, 'results', { followRecords: false }).status)
    })
    await runCapacity({
      profile: loaded.profile,
      profileDir: loaded.dir,
      engine: fakeEngine({
        s: { capacity: 400, serviceMs: 2 },
        's-i1': { capacity: 400, serviceMs: 1 },
        's-i2': { capacity: 700, serviceMs: 1 },
      }),
      recorder,
      signal: new AbortController().signal,
      planOptions: { cpuCount: 2 },
      headroom: 0.75,
      onProgress: quiet,
      onSearchStep: quiet,
      launch: fakeStack,
    })
    assert.deepEqual(statusAtSweep, ['running'])
    assert.ok(!recorder.records.some((r) => r.kind === 'run-finished'))
    const results = finish('complete')
    assert.equal(results.status, 'complete')
    assert.equal(results.capacity?.searches[0]?.status !== 'interrupted', true)
    assert.equal(results.capacity?.scaling.length, 1)
  })
})
