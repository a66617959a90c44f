import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  appsYaml,
  cleanUp,
  fixtures,
  hasStackTrace,
  leftoverProcesses,
  readResults,
  runCli,
  tempDir,
  waitFor,
  writeProfile,
} from './harness.js'

/** The known capacity of the fixed-rate fixture: it answers exactly this many req/s and no more. */
const capacity = 400

const fixedRateProfile = `name: fixed
slo: { p99: 50ms, errorRate: 0.1 }
capacity: { precision: 2, target: 2000, headroom: 0.8 }
apps:
  fixed:
    command: node
    args: [${join(fixtures, 'fixed-rate.mjs')}, --port, "{port}", --rate, "${capacity}"]
    ready: { path: /health }
stacks: [{ name: fixed, app: fixed }]
phases:
  - { name: search, rate: 100, spacing: uniform, duration: 2s, warmup: 500ms, timeout: 5s, maxConnections: 256 }
`

async function searchFixedRate(t: { diagnostic: (message: string) => void }) {
  const { file } = writeProfile(fixedRateProfile)
  const out = join(tempDir(), 'capacity.json')
  const result = await runCli(['capacity', file, '--out', out])
  t.diagnostic(
    result.stderr
      .split('\n')
      .filter((l) => l.startsWith('    '))
      .join('\n'),
  )
  const results = readResults(out)
  const search = results.capacity?.searches[0]
  if (search)
    t.diagnostic(`max ${search.maxRate}, fail ${search.failRate}, knee ${JSON.stringify(search.knee)}`)
  return { result, results, search }
}

/** The first assertion a search of the fixed-rate fixture fails, as its message, or undefined when all hold. */
function checkFixedRate({ result, results, search }: Awaited<ReturnType<typeof searchFixedRate>>) {
  try {
    assert.equal(result.code, 0, result.stderr)
    assert.ok(search, 'one search recorded')
    assert.equal(search.status, 'found')
    assert.ok(search.maxRate !== null && search.failRate !== null)
    // Below capacity the answer takes 2.5 ms; above it the queue grows by (rate − 400) each second. A 2.5 s
    // step at rate r ends (r/400 − 1) × 2.5 s behind, so p99 passes 50 ms only beyond ~1.02 × 400: the
    // search can overshoot by that much, and must not stop far below capacity.
    assert.ok(search.maxRate >= 0.85 * capacity && search.maxRate <= 1.04 * capacity, `max ${search.maxRate}`)
    assert.ok((search.failRate - search.maxRate) / search.maxRate <= 0.02 + 1 / search.maxRate)
    // the first three rates doubled from the start (a suspect step may run again: its last run stands)
    const runs = [...new Map(search.steps.map((s) => [`${s.kind} ${s.rate}`, s])).values()]
    assert.deepEqual(
      runs.slice(0, 3).map((s) => [s.kind, s.rate]),
      [
        ['double', 100],
        ['double', 200],
        ['double', 400],
      ],
    )
    assert.deepEqual(
      runs.slice(0, 2).map((s) => s.outcome),
      ['pass', 'pass'],
    )
    const last = search.steps[search.steps.length - 1]
    assert.equal(last?.kind, 'confirm')
    assert.deepEqual(search.atMax, last)
    assert.ok((search.atMax?.latency.p99 ?? 99) <= 50)
    assert.ok(search.atMax?.resources.some((r) => r.tier === 'app' && r.cpuPercent > 0))
    assert.ok(search.knee && search.knee.rate <= search.failRate * 1.5, JSON.stringify(search.knee))
    assert.equal(search.machines, Math.ceil(2000 / (search.maxRate * 0.8)))
    // the search's bounds are stored beside its results: from the phase's rate, up to the default maxRate
    assert.deepEqual(
      [results.capacity?.startRate, results.capacity?.maxRate, results.capacity?.precision],
      [100, 100_000, 2],
    )
    // every step is also an ordinary cell, with its histograms
    assert.equal(results.cells.length, search.steps.length)
    assert.match(result.stdout, /fixed/)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

describe('bench capacity', () => {
  it('finds the known capacity of a D/D/1 server within the SLO, confirmed, with the knee and the sizing', async (t) => {
    // At 400 req/s the fixture runs at utilisation 1: one VM stall of the generator leaves a backlog that never
    // drains, and the step fails. bench sees such a stall (a step's reasons name the generator's send lag or CPU;
    // a suspect step): when, and only when, it flagged one, the search is run once more and that run is judged.
    // A search that is wrong without bench noticing fails at once.
    const first = await searchFixedRate(t)
    assert.deepEqual(await leftoverProcesses(first.results), [])
    let attempt = first
    const flagged = first.search?.steps.filter(
      (s) => s.outcome === 'suspect' || s.reasons.some((r) => /generator/.test(r)),
    )
    const failure = checkFixedRate(first)
    if (failure && flagged?.length) {
      t.diagnostic(
        `first search failed (${failure}) with ${flagged.length} step(s) flagged by bench: run again`,
      )
      attempt = await searchFixedRate(t)
    }
    const final = checkFixedRate(attempt)
    assert.ok(final === undefined, final)
    assert.deepEqual(await leftoverProcesses(attempt.results), [])
  })

  it('Ctrl-C mid-search stops every process and leaves the search recorded as interrupted', async () => {
    const { file, dir } = writeProfile(fixedRateProfile)
    const out = join(dir, 'results.json')
    const result = await runCli(['capacity', file, '--out', out], (child) => {
      void waitFor('a first judged step', () => {
        if (!existsSync(out)) return undefined
        return (readResults(out).capacity?.searches[0]?.steps.length ?? 0) > 0 ? true : undefined
      }).then(() => child.kill('SIGINT'))
    })
    const results = readResults(out)
    try {
      assert.equal(result.code, 130, result.stderr)
      assert.equal(results.status, 'interrupted')
      assert.equal(results.capacity?.searches[0]?.status, 'interrupted')
      assert.equal(results.capacity?.searches[0]?.maxRate, null)
      assert.ok(!hasStackTrace(result.stderr))
      assert.deepEqual(await leftoverProcesses(results), [])
    } finally {
      await cleanUp(results)
    }
  })

  it('sweeps Node cluster workers, fits the USL and warns about a sweep too short to trust', async (t) => {
    const { file } = writeProfile(`name: sweep
scaling: { workers: [1, 2, 3, 4] }
capacity: { target: 100000 }
restart: run
${appsYaml}
stacks: [{ name: cluster, app: node }]
phases: [{ name: saturate, connections: 32, duration: 1500ms, warmup: 500ms, requests: [{ path: /json }] }]
`)
    const out = join(tempDir(), 'sweep.json')
    const result = await runCli(['capacity', file, '--out', out, '--headroom', '0.5'])
    assert.equal(result.code, 0, result.stderr)
    const results = readResults(out)
    const scaling = results.capacity?.scaling[0]
    assert.ok(scaling)
    t.diagnostic(JSON.stringify({ points: scaling.points, fit: scaling.fit, warnings: scaling.warnings }))
    assert.equal(scaling.parameter, 'workers')
    assert.deepEqual(
      scaling.points.map((p) => p.n),
      [1, 2, 3, 4],
    )
    assert.ok(scaling.points.every((p) => p.reqPerSec !== null && p.reqPerSec > 100))
    // each variant really ran its worker count: the cells are named after it
    assert.deepEqual(
      [...new Set(results.cells.map((c) => c.stack))],
      ['cluster-w1', 'cluster-w2', 'cluster-w3', 'cluster-w4'],
    )
    assert.ok(scaling.fit && scaling.fit.lambda > 0 && scaling.fit.rSquared <= 1)
    assert.match(scaling.warnings.join('\n'), /only 4 counts/)
    assert.equal(results.capacity?.headroom, 0.5)
    assert.ok(scaling.recommended && scaling.recommended.machines >= 1)
    assert.deepEqual(await leftoverProcesses(results), [])
  })

  it('refuses a profile with nothing to find, a bad --headroom and an SLO without an open-loop phase', async () => {
    const closedOnly = `name: x
${appsYaml}
stacks: [{ name: n, app: node }]
phases: [{ name: p, connections: 1, duration: 1s }]
`
    const cases: [string, string[], RegExp][] = [
      [closedOnly, [], /neither slo: nor scaling:/],
      [closedOnly, ['--headroom', '1.5'], /--headroom 1.5 is not a share of capacity/],
      [`slo: { p99: 50ms }\n${closedOnly}`, [], /needs an open-loop phase/],
      [
        `scaling: { workers: [1, 2] }\n${closedOnly.replace('name: n, app: node', 'name: n, url: "http://127.0.0.1:1"')}`,
        [],
        /running server \(url\)/,
      ],
    ]
    for (const [yaml, extra, message] of cases) {
      const { file } = writeProfile(yaml)
      const result = await runCli(['capacity', file, ...extra])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
      assert.match(result.stderr, /fix:/)
      assert.ok(!hasStackTrace(result.stderr), result.stderr)
    }
  })
})
