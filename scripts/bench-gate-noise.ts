/**
 * npm run bench:gate-noise — the gate's error rates, measured so they can be quoted (docs/gate.md, "How often it is
 * wrong"), each beside its target:
 *
 * (a) false-fail rate from RESAMPLES (default 1,000) sequential A/A gates resampled, per stack, from RECORDED
 *     (default 40) trials of that stack recorded in one `bench run`: the Node app direct and gunicorn -w 2
 *     behind nginx. Each resample shuffles the recorded trials into two disjoint halves, baseline and candidate,
 *     and looks at the first minTrials, minTrials + 1, … of each with the alpha that look may spend, stopping at
 *     the first decided look — the rule `trials: auto` follows live. Target: ≤ 1 %.
 * (b) live `bench run --gate` runs with `trials: auto` (6 to 20 trials), LIVE (default 20) of each case,
 *     interleaved case by case: A/A (the same app both sides; target: no false fail), a 10 % throughput
 *     regression (the candidate spends ~12 % more CPU per request on a CPU-bound endpoint) and a 10 % p50
 *     regression (the candidate waits 1 ms more on a 10 ms endpoint); target: ≥ 90 % detected.
 * (c) for each case, the median number of trials a side the gate needed and its median wall time.
 *
 * TRIAL_SECONDS (default 1) is each trial's measured time, after a 300 ms warm-up. Every process is one bench run
 * started and awaited here; nothing runs beside it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mean, median } from 'simple-statistics'
import { judgeCells } from '../src/gate/judge-cells.js'
import { pairStacks } from '../src/gate/pair-cells.js'
import { gateSchema } from '../src/profile/schema.js'
import { type ResultSet, resultSetSchema } from '../src/results/results-file-schema.js'
import { trialMetrics } from '../src/stats/trial-metrics.js'
import { seededRandom } from '../test/seeded-random.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const RECORDED = Number(process.env.RECORDED ?? 40)
const RESAMPLES = Number(process.env.RESAMPLES ?? 1000)
const LIVE = Number(process.env.LIVE ?? 20)
const SECONDS = Number(process.env.TRIAL_SECONDS ?? 1)
const minTrials = 6
const maxTrials = 20

const server = join(root, 'apps/node/server.mjs')
const node = (extra = '') =>
  `{ command: node, args: [${server}, --port, "{port}"${extra}], ready: { path: /health } }`
const phase = (path: string) =>
  `phases:\n  - { name: p, connections: 2, duration: ${SECONDS}s, warmup: 300ms, requests: [{ path: "${path}" }] }\n`

/** Runs `bench run` on the profile `yaml` (with --gate when asked); its exit code, results and wall time. */
function benchRun(yaml: string, gate: boolean): { status: number | null; results?: ResultSet; ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-noise-'))
  writeFileSync(join(dir, 'p.yml'), yaml)
  const out = join(dir, 'r.json')
  const started = performance.now()
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'dist/src/cli/main.js'),
      'run',
      join(dir, 'p.yml'),
      ...(gate ? ['--gate'] : []),
      '--out',
      out,
    ],
    { encoding: 'utf8', timeout: 900_000 },
  )
  const ms = performance.now() - started
  try {
    return { status: run.status, results: resultSetSchema.parse(JSON.parse(readFileSync(out, 'utf8'))), ms }
  } catch {
    console.error(
      `bench run failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    )
    return { status: run.status, ms }
  }
}

// (a) resampled A/A (RECORDING=results.json reuses a recording made before)
const recordedStacks = ['node', 'nginx-gunicorn-2']
const recording = process.env.RECORDING
  ? { results: resultSetSchema.parse(JSON.parse(readFileSync(process.env.RECORDING, 'utf8'))) }
  : benchRun(
      `name: gate-noise-record
trials: ${RECORDED}
apps:
  node: ${node()}
  flask:
    command: gunicorn
    args: [--chdir, ${join(root, 'apps/flask')}, -b, "127.0.0.1:{port}", app:app]
    workerArgs: [-w, "{workers}"]
    ready: { path: /health }
stacks:
  - { name: node, app: node }
  - { name: nginx-gunicorn-2, app: flask, workers: 2, proxy: nginx }
${phase('/cpu?ms=1')}`,
      false,
    )
if (!recording.results) process.exit(1)
const config = gateSchema.parse({})
const resampled = recordedStacks.map((stack, s) => {
  const [pair] = pairStacks(recording.results as ResultSet, stack, stack)
  if (!pair) throw new Error(`no trials of ${stack}`)
  // each trial's metrics decoded once: the resamples only reorder them
  const samples = pair.baseline.map(trialMetrics)
  const random = seededRandom(1000 + s)
  const counts = { pass: 0, regression: 0, inconclusive: 0 }
  const trialsUsed: number[] = []
  const half = Math.min(maxTrials, Math.floor(samples.length / 2))
  for (let r = 0; r < RESAMPLES; r++) {
    const order = samples.map((sample) => ({ sample, key: random.uniform() }))
    order.sort((a, b) => a.key - b.key)
    const baseline = order.slice(0, half).map((o) => o.sample)
    const candidate = order.slice(half, 2 * half).map((o) => o.sample)
    for (let n = minTrials; n <= half; n++) {
      const look = { trials: n, minTrials, maxTrials: half }
      const cell = {
        ...pair,
        baseline: baseline.slice(0, n),
        candidate: candidate.slice(0, n),
        candidateErrorPercent: mean(candidate.slice(0, n).map((m) => m.errorRate)),
      }
      const { verdict } = judgeCells([cell], config, 'A', 'B', look)
      if (verdict !== 'inconclusive' || n === half) {
        counts[verdict]++
        trialsUsed.push(n)
        break
      }
    }
  }
  const rps = samples.map((x) => x.reqPerSec)
  return { stack, recorded: samples.length, half, counts, trials: median(trialsUsed), rpsMedian: median(rps) }
})

// (b) live runs, the three cases interleaved
const gateProfile = (name: string, path: string, candidateExtra: string) => `name: ${name}
trials: auto
minTrials: ${minTrials}
maxTrials: ${maxTrials}
apps:
  base: ${node()}
  cand: ${node(candidateExtra)}
stacks:
  - { name: baseline, app: base }
  - { name: candidate, app: cand }
gate: { baseline: baseline, candidate: candidate }
${phase(path)}`
const cases = [
  { name: 'A/A', yaml: gateProfile('aa', '/cpu?ms=1', ''), target: 'no regression' },
  {
    name: '10 % fewer req/s',
    yaml: gateProfile('rps', '/cpu?ms=1', ', --extra-cpu-ms, "0.12"'),
    target: 'regression ≥ 90 %',
  },
  {
    name: '10 % higher p50',
    yaml: gateProfile('p50', '/sleep?ms=10', ', --extra-delay-ms, "1"'),
    target: 'regression ≥ 90 %',
  },
]
const verdictOf: Record<number, string> = { 0: 'pass', 6: 'regression', 7: 'inconclusive' }
const live = cases.map(() => ({
  counts: {} as Record<string, number>,
  trials: [] as number[],
  ms: [] as number[],
  changes: [] as string[],
}))
for (let k = 1; k <= LIVE; k++) {
  for (const [i, c] of cases.entries()) {
    const run = benchRun(c.yaml, true)
    const verdict = verdictOf[run.status ?? -1] ?? `error (exit ${run.status})`
    const record = live[i] as (typeof live)[number]
    record.counts[verdict] = (record.counts[verdict] ?? 0) + 1
    record.ms.push(run.ms)
    const gate = run.results?.gate
    if (gate?.sequential) record.trials.push(gate.sequential.trials)
    const failed = gate?.rows.filter((row) => row.verdict === 'fail').map((row) => row.metric) ?? []
    const rps = gate?.rows.find((row) => row.metric === 'reqPerSec')?.changePct ?? 0
    const p50 = gate?.rows.find((row) => row.metric === 'p50')?.changePct ?? 0
    record.changes.push(`req/s ${rps.toFixed(1)} %, p50 ${p50.toFixed(1)} %`)
    console.log(
      `${c.name} ${k}/${LIVE}: ${verdict} at ${gate?.sequential?.trials ?? '?'} trials a side, ${(run.ms / 1000).toFixed(0)} s (req/s ${rps >= 0 ? '+' : ''}${rps.toFixed(1)} %, p50 ${p50 >= 0 ? '+' : ''}${p50.toFixed(1)} %${failed.length ? `; failed on ${failed.join(', ')}` : ''})`,
    )
  }
}

const pct = (n: number, of: number) => `${n}/${of} (${((n / of) * 100).toFixed(1)} %)`
console.log(
  `\n(a) resampled A/A: ${RESAMPLES} sequential gates per stack from ${RECORDED} recorded trials of ${SECONDS} s`,
)
for (const r of resampled) {
  const total = r.counts.pass + r.counts.regression + r.counts.inconclusive
  console.log(
    `  ${r.stack} (${Math.round(r.rpsMedian)} req/s, halves of ${r.half}): false fail ${pct(r.counts.regression, total)} [target ≤ 1 %], pass ${pct(r.counts.pass, total)}, inconclusive ${pct(r.counts.inconclusive, total)}, median ${r.trials} trials a side`,
  )
}
console.log(
  `(b, c) live bench run --gate, trials: auto ${minTrials} to ${maxTrials}, ${LIVE} runs a case, interleaved`,
)
for (const [i, c] of cases.entries()) {
  const r = live[i] as (typeof live)[number]
  const n = (key: string) => r.counts[key] ?? 0
  console.log(
    `  ${c.name}: regression ${pct(n('regression'), LIVE)}, pass ${pct(n('pass'), LIVE)}, inconclusive ${pct(n('inconclusive'), LIVE)} [target: ${c.target}]; median ${r.trials.length ? median(r.trials) : '?'} trials a side, ${r.ms.length ? (median(r.ms) / 1000).toFixed(0) : '?'} s`,
  )
}
