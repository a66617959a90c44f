import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { assertEvery } from '../assert-every.js'
import {
  appsYaml,
  cleanUp,
  fixtures,
  hasStackTrace,
  leftoverProcesses,
  readResults,
  runCli,
  waitFor,
  writeProfile,
} from './harness.js'

const twoStacks = (phases: string) => `name: cli-run
${appsYaml}
  dies:
    command: node
    args: [${join(fixtures, 'dies-after.mjs')}, --port, "{port}", --after, "700"]
    ready: { path: /health }
stacks:
  - { name: node, app: node }
  - { name: nginx-node, app: node, proxy: nginx }
${phases}`

describe('bench run end to end', () => {
  it('runs every stack, prints one table per phase and writes complete results', async () => {
    const { file, dir } = writeProfile(
      twoStacks(
        'phases:\n  - { name: hello, connections: [5, 20], duration: 1s, warmup: 1s }\n  - { name: json, connections: 5, duration: 1s, requests: [{ path: /json }] }\n',
      ),
    )
    const out = join(dir, 'results.json')
    const result = await runCli(['run', file, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /phase "hello" — closed loop, 1 trial/)
    assert.match(result.stdout, /phase "json" — closed loop/)
    for (const header of ['req/s', 'MB/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'errors %', 'startup ms']) {
      assert.ok(result.stdout.includes(header), `table header ${header}`)
    }
    const results = readResults(out)
    assert.equal(results.status, 'complete')
    assert.equal(results.cells.length, 6, 'node and nginx-node × (2 ladder steps + 1)')
    for (const cell of results.cells) {
      assert.equal(cell.status, 'ok')
      assert.ok((cell.stats?.reqPerSec ?? 0) > 100, `${cell.stack} ${cell.phase} c=${cell.connections}`)
      assert.equal(cell.stats?.errorPercent, 0)
      assert.ok((cell.stats?.latency.p50 ?? 0) > 0)
    }
    assert.ok(results.environment.versions.nginx?.includes('nginx/'), 'nginx version recorded')
    assert.equal(results.environment.versions.autocannon, '9.0.0')
    assert.match(results.profile.sha256, /^[0-9a-f]{64}$/)
    assert.deepEqual(await leftoverProcesses(results), [])
  })

  it('Ctrl-C stops the load and every process, and leaves valid partial results', async () => {
    const { file, dir } = writeProfile(
      twoStacks('phases:\n  - { name: hello, connections: [5, 5, 5], duration: 2s }\n'),
    )
    const out = join(dir, 'results.json')
    const result = await runCli(['run', file, '--out', out], (child) => {
      void waitFor('a first measured step', () => {
        if (!existsSync(out)) return undefined
        try {
          return readResults(out).trials.length > 0 ? true : undefined
        } catch {
          return undefined // a torn read is impossible with atomic writes: this would fail below
        }
      }).then(() => child.kill('SIGINT'))
    })
    const results = readResults(out)
    try {
      assert.equal(result.code, 130, result.stderr)
      assert.equal(results.status, 'interrupted')
      assert.ok(
        results.trials.length >= 1 && results.trials.length < 6,
        `${results.trials.length} trials recorded`,
      )
      assert.ok(
        results.trials.every((t) => t.status === 'ok'),
        'no cut-short step is recorded as a measurement',
      )
      assert.ok(!hasStackTrace(result.stderr))
      assert.deepEqual(await leftoverProcesses(results), [])
    } finally {
      await cleanUp(results)
    }
  })

  it('a run killed with SIGKILL still leaves valid JSON, and records holding every finished step', async () => {
    const { file, dir } = writeProfile(
      twoStacks('phases:\n  - { name: hello, connections: [5, 5, 5], duration: 1s }\n'),
    )
    const out = join(dir, 'results.json')
    await runCli(['run', file, '--out', out], (child) => {
      void waitFor('two measured steps', () => {
        if (!existsSync(out)) return undefined
        return readResults(out).trials.length >= 2 ? true : undefined
      }).then(() => child.kill('SIGKILL'))
    })
    const results = readResults(out) // the JSON says "running": read from the records beside it
    try {
      const json = resultSetSchema.parse(JSON.parse(readFileSync(out, 'utf8')))
      assert.equal(json.status, 'running', 'killed before it could say otherwise')
      assert.equal(results.status, 'interrupted', 'the records have no run-finished record')
      assert.ok(results.trials.length >= 2)
      assert.equal(results.cells.length, new Set(results.trials.map((t) => `${t.stack}/${t.step}`)).size)
    } finally {
      await cleanUp(results) // SIGKILL gives bench no chance to stop its stacks: the test does
    }
  })

  it('an app that dies mid-phase fails its cell with the cause, and the run goes on', async () => {
    const yaml = twoStacks('phases:\n  - { name: hello, connections: [5, 5], duration: 2s }\n').replace(
      '  - { name: node, app: node }',
      '  - { name: doomed, app: dies }\n  - { name: node, app: node }',
    )
    const { file, dir } = writeProfile(yaml)
    const out = join(dir, 'results.json')
    const result = await runCli(['run', file, '--out', out])
    const results = readResults(out)
    assert.equal(result.code, 4, result.stderr)
    const doomed = results.cells.filter((c) => c.stack === 'doomed')
    assert.deepEqual(
      doomed.map((c) => c.status),
      ['failed', 'failed'],
    )
    assert.match(doomed[0]?.failures[0]?.message ?? '', /app "dies" exited during phase "hello" \(code 3\)/)
    assert.ok((doomed[0]?.stats?.errorCount ?? 0) > 0, 'the errors the death caused are counted')
    assert.ok((doomed[0]?.stats?.successes ?? 0) > 0, 'and so are the responses before it')
    assertEvery(
      results.cells.filter((c) => c.stack !== 'doomed'),
      (c) => c.status === 'ok',
      'the other stacks still ran',
    )
    assert.match(result.stderr, /✗ doomed: app "dies" exited during phase "hello"/)
    assert.match(result.stderr, /dies-after: exiting after 700 ms of load/, 'its last output is quoted')
    assert.ok(!hasStackTrace(result.stderr))
    assert.deepEqual(await leftoverProcesses(results), [])
  })
})
