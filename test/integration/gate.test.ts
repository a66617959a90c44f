import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { assertEvery } from '../assert-every.js'
import { hasStackTrace, readResults, repoRoot, runCli, writeProfile } from './harness.js'

const server = join(repoRoot, 'apps/node/server.mjs')

/** An A/B profile: the same node app as baseline and candidate, the candidate with extra arguments. */
function abProfile(opts: {
  candidateArgs: string
  path: string
  connections: number
  trials: number | 'auto'
  /** trials: auto — the looks, from minTrials to maxTrials */
  looks?: [number, number]
  restart?: string
  duration?: string
  gate?: string
}) {
  return `name: gate
trials: ${opts.trials}${opts.looks ? `\nminTrials: ${opts.looks[0]}\nmaxTrials: ${opts.looks[1]}` : ''}
restart: ${opts.restart ?? 'run'}
apps:
  base:
    command: node
    args: [${server}, --port, "{port}"]
    ready: { path: /health }
  cand:
    command: node
    args: [${server}, --port, "{port}"${opts.candidateArgs}]
    ready: { path: /health }
stacks:
  - { name: baseline, app: base }
  - { name: candidate, app: cand }
gate: { baseline: baseline, candidate: candidate${opts.gate ?? ''} }
phases:
  - { name: p, connections: ${opts.connections}, duration: ${opts.duration ?? '1500ms'}, requests: [{ path: "${opts.path}" }] }
`
}

async function gate(yaml: string, env: Record<string, string> = {}) {
  const { file, dir } = writeProfile(yaml)
  const out = join(dir, 'r.json')
  const junit = join(dir, 'junit.xml')
  const result = await runCli(['run', file, '--gate', '--out', out, '--junit', junit], undefined, env)
  assert.ok(!hasStackTrace(result.stderr), result.stderr)
  const results = readResults(out)
  return { result, results, junit, dir, out }
}

const verdictOf = (results: ReturnType<typeof readResults>, metric: string) =>
  results.gate?.rows.find((r) => r.metric === metric)

describe('the CI gate, A/B in one run against real processes', () => {
  it('never calls A/A (the same app on both sides) a regression; JUnit and the step summary follow the verdict', async (t) => {
    const { file: summary } = writeProfile('')
    const run = await gate(
      abProfile({
        candidateArgs: '',
        path: '/sleep?ms=5',
        connections: 10,
        // 6 trials, each stack kept running: steadier medians on a noisy machine, the verdict unchanged;
        // p99 of 3 s trials swings by a third here at times: allow for it, as a profile for this VM would
        trials: 6,
        restart: 'run',
        duration: '3s',
        gate: ', metrics: { p99: { warn: 5, fail: 10, maxCv: 40 } }',
      }),
      { GITHUB_STEP_SUMMARY: summary },
    )
    t.diagnostic(
      run.result.stdout
        .split('\n')
        .filter((l) => l.includes('│'))
        .join('\n'),
    )
    // The claim under test is no false regression. On this VM the tail of a 5 ms sleep is the VM's timer
    // jitter, and 6 trials a side rarely narrow every interval to within the fail threshold (both runs of
    // this test after the interval rule came in were inconclusive): the gate must then say inconclusive
    // (exit 7) and say why, never fail. The pass path's JUnit and summary are also unit-tested.
    const verdict = run.results.gate?.verdict
    assert.ok(verdict === 'pass' || verdict === 'inconclusive', `${verdict}\n${run.result.stdout}`)
    assert.ok(existsSync(run.junit))
    const junit = readFileSync(run.junit, 'utf8')
    if (verdict === 'pass') {
      assert.equal(run.result.code, 0)
      assert.match(run.result.stdout, /gate verdict: PASS/)
      // req/s, p50, p99, error rate, and CPU/request of the app when it spent ≥ 0.5 s of CPU in every trial
      assert.match(junit, /<testsuites name="bench gate" tests="[45]" failures="0"/)
      assert.match(readFileSync(summary, 'utf8'), /### bench gate: ✅ pass/)
    } else {
      t.diagnostic('A/A came out inconclusive: an interval straddles fail (see the table above)')
      assert.equal(run.result.code, 7)
      assert.match(run.result.stdout, /gate verdict: INCONCLUSIVE/)
      // inconclusive because an interval straddles the fail threshold (noise the trials cannot see through)
      // or the trials drift with their order
      assertEvery(
        run.results.gate?.rows ?? [],
        (r) => r.verdict !== 'fail' && (r.verdict !== 'inconclusive' || /straddles|drifts/.test(r.reason)),
        'no metric fails; only an interval too wide to decide, or a drift, makes it inconclusive',
      )
      assert.match(readFileSync(summary, 'utf8'), /### bench gate: .*inconclusive/i)
    }
  })

  it('fails a candidate that waits 20 ms more per request: exit 6', async () => {
    const run = await gate(
      abProfile({
        candidateArgs: ', --extra-delay-ms, "20"',
        path: '/sleep?ms=5',
        connections: 10,
        trials: 5,
      }),
    )
    assert.equal(run.result.code, 6, run.result.stdout)
    assert.equal(run.results.gate?.verdict, 'regression')
    assert.equal(verdictOf(run.results, 'p50')?.verdict, 'fail')
    assert.equal(verdictOf(run.results, 'reqPerSec')?.verdict, 'fail')
    assert.match(readFileSync(run.junit, 'utf8'), /<failure message=/)
  })

  it('fails a candidate that spends 30 % more CPU per request', async () => {
    // /cpu?ms=2 keeps node's one thread busy: 0.6 ms more per request is 30 % more CPU, ~22 % fewer req/s.
    // Throughput is what a VM stall hits: one trial in ten here comes in 25–35 % low. With 7 fixed trials of
    // 2 s, 10 runs in 10 failed it here, but a noisier fresh-clone CI run did not (its interval reached past
    // the 5 % threshold). trials: auto adds pairs until the interval clears it, as a user's gate would.
    // CPU per request measures the cost itself and, steadier than req/s, decides it first: the gate then stops,
    // and req/s, whose interval may not have cleared the threshold by then, must only never pass.
    const run = await gate(
      abProfile({
        candidateArgs: ', --extra-cpu-ms, "0.6"',
        path: '/cpu?ms=2',
        connections: 2,
        trials: 'auto',
        looks: [7, 16],
        duration: '2s',
      }),
    )
    assert.equal(run.result.code, 6, run.result.stdout)
    const cpu = verdictOf(run.results, 'cpuPerRequest')
    assert.equal(cpu?.tier, 'app')
    assert.equal(cpu?.verdict, 'fail', run.result.stdout)
    assert.ok(cpu && cpu.changePct > 12, `CPU per request change ${cpu?.changePct} %`)
    const rate = verdictOf(run.results, 'reqPerSec')
    assert.ok(rate?.verdict === 'fail' || rate?.verdict === 'inconclusive', run.result.stdout)
    assert.ok(rate && rate.changePct < -12, `req/s change ${rate?.changePct} %`)
  })

  it('is inconclusive with 2 trials: exit 7, never a pass', async () => {
    const run = await gate(abProfile({ candidateArgs: '', path: '/sleep?ms=5', connections: 10, trials: 2 }))
    assert.equal(run.result.code, 7, run.result.stdout)
    assert.equal(run.results.gate?.verdict, 'inconclusive')
    assert.match(run.result.stdout, /too few trials: 2 against 2/)
    assert.match(readFileSync(run.junit, 'utf8'), /<skipped message="inconclusive: /)
  })

  it('bench gate --calibrate runs the baseline against itself and prints its noise and suggested thresholds', async () => {
    const { file, dir } = writeProfile(
      abProfile({
        candidateArgs: ', --extra-cpu-ms, "1"',
        path: '/cpu?ms=1',
        connections: 2,
        trials: 2,
        duration: '1s',
      }),
    )
    const out = join(dir, 'aa.json')
    const run = await runCli(['gate', '--calibrate', file, '--pairs', '6', '--out', out])
    assert.equal(run.code, 0, run.stderr)
    assert.ok(!hasStackTrace(run.stderr), run.stderr)
    assert.match(run.stdout, /A\/A calibration from 6 pairs/)
    for (const metric of ['req/s', 'p50', 'p99', 'CPU/request \\(app\\)'])
      assert.match(run.stdout, new RegExp(`p c=2 +│ ${metric}`), run.stdout)
    // the A/A: the baseline stack and its copy, never the candidate
    const stacks = new Set(readResults(out).trials.map((t) => t.stack))
    assert.deepEqual([...stacks].sort(), ['baseline', 'baseline-again'])
    const none = await runCli(['gate'])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /needs a results file and --baseline, or --calibrate <profile>/)
  })

  it('bench gate compares a result against a stored baseline, and refuses a malformed one', async () => {
    const first = await gate(
      abProfile({ candidateArgs: '', path: '/sleep?ms=5', connections: 10, trials: 2 }),
    )
    const again = await runCli(['gate', first.out, '--baseline', first.out])
    assert.equal(again.code, 7, again.stderr) // 2 trials: inconclusive, whatever the numbers
    assert.match(again.stdout, /baseline hello|baseline p c=10|candidate p c=10/)
    const { file: notResults } = writeProfile('{"schemaVersion": 1}')
    const bad = await runCli(['gate', first.out, '--baseline', notResults])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /has results schema version 1; this bench reads version 3/)
    assert.ok(!hasStackTrace(bad.stderr))
  })
})
