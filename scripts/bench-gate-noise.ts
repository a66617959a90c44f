/**
 * npm run bench:gate-noise — the gate's error rates on this machine, measured against issue 22's targets and
 * printed beside them (docs/gate.md, "How often it is wrong"):
 *
 * (a) resampled A/A: one `bench run` records RECORDED (default 40) interleaved pairs of trials of each A/A stack
 *     pair — the Node app direct (`/cpu?ms=1`, 2 connections) against itself, and nginx → gunicorn -w 2 against
 *     itself — then RESAMPLES (default 1,000) sequential gates are drawn per stack, each from the pairs in a
 *     seeded random order (a pair keeps its two neighbouring trials together, as the paired rule needs), looking
 *     at the first minTrials, minTrials + 1, … pairs with the alpha each look may spend and stopping at the first
 *     decided look, as `trials: auto` does live. Target: false fail ≤ 1 %.
 * (b) live `bench run --gate` runs, trials: auto (6 to 20), LIVE (default 20) of each case, interleaved case by
 *     case: A/A on the Node app and on nginx → gunicorn -w 2 (targets: pass ≥ 18/20, false fail 0/20, median wall
 *     time < 90 s), 10 % fewer req/s (the candidate spends 0.12 ms more CPU per request on /cpu?ms=1) and 10 %
 *     higher p50 (1 ms more on /sleep?ms=10) (target: caught ≥ 19/20), 5 % more CPU per request in the app
 *     (0.06 ms more on /cpu?ms=1; target: caught ≥ 15/20).
 *
 * Settings (environment): TRIAL_SECONDS (default 2) each trial's measured time, after a 300 ms warm-up;
 * ALTERNATE=restart measures with gate.alternate: restart (a restart per trial) instead of the default, slices
 * (both stacks kept running, slices of TRIAL_SECONDS with the same warm-up); CASES=aa-node,cpu,… runs only those live cases; RECORDING=results.json reuses a recording
 * made before; RESAMPLES=0 skips (a). Every process is one bench run started and awaited here; nothing runs
 * beside it: run it on a quiet machine.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from 'simple-statistics'
import { calibrateGate } from '../src/gate/calibrate-gate.js'
import { gateCellValues } from '../src/gate/evaluate-gate.js'
import { judgeCells } from '../src/gate/judge-cells.js'
import { pairStacks } from '../src/gate/pair-cells.js'
import { gateSchema } from '../src/profile/schema.js'
import { type ResultSet, resultSetSchema } from '../src/results/results-file-schema.js'
import { seededRandom } from '../test/seeded-random.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const RECORDED = Number(process.env.RECORDED ?? 40)
const RESAMPLES = Number(process.env.RESAMPLES ?? 1000)
const LIVE = Number(process.env.LIVE ?? 20)
const SECONDS = Number(process.env.TRIAL_SECONDS ?? 2)
const SLICES = process.env.ALTERNATE !== 'restart'
const ONLY = process.env.CASES?.split(',').map((c) => c.trim())
const minTrials = 6
const maxTrials = 20

const server = join(root, 'apps/node/server.mjs')
const node = (extra = '') =>
  `{ command: node, args: [${server}, --port, "{port}"${extra}], ready: { path: /health } }`
const flask = `{ command: gunicorn, args: [--chdir, ${join(root, 'apps/flask')}, -b, "127.0.0.1:{port}", app:app], workerArgs: [-w, "{workers}"], ready: { path: /health } }`
const phase = (path: string) =>
  `phases:\n  - { name: p, connections: 2, duration: ${SECONDS}s, warmup: 300ms, requests: [{ path: "${path}" }] }\n`
const alternate = SLICES ? ', alternate: slices, sliceWarmupMs: 300' : ', alternate: restart'

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

const pct = (n: number, of: number) => `${n}/${of} (${((n / of) * 100).toFixed(1)} %)`
const mark = (met: boolean) => (met ? 'met' : 'MISSED')

// (a) resampled A/A from recorded pairs
const recordedStacks = ['node', 'nginx-gunicorn-2']
const config = gateSchema.parse({})
const resampled: string[] = []
const spread: string[] = []
if (RESAMPLES > 0) {
  const recording = process.env.RECORDING
    ? { results: resultSetSchema.parse(JSON.parse(readFileSync(process.env.RECORDING, 'utf8'))) }
    : benchRun(
        `name: gate-noise-record
trials: ${RECORDED}
apps:
  node: ${node()}
  flask: ${flask}
stacks:
  - { name: node, app: node }
  - { name: node-again, app: node }
  - { name: nginx-gunicorn-2, app: flask, workers: 2, proxy: nginx }
  - { name: nginx-gunicorn-2-again, app: flask, workers: 2, proxy: nginx }
gate: { baseline: node, candidate: node-again${alternate} }
${phase('/cpu?ms=1')}`,
        false,
      )
  if (!recording.results) process.exit(1)
  for (const [s, stack] of recordedStacks.entries()) {
    const [pair] = pairStacks(recording.results as ResultSet, stack, `${stack}-again`)
    if (!pair) throw new Error(`no trials of ${stack}`)
    // each pair's metrics decoded once: the resamples only reorder the pairs
    const cell = gateCellValues(pair)
    // the A/A spread of every gated metric over all recorded pairs (what bench gate --calibrate prints)
    for (const row of calibrateGate([cell], config)) {
      spread.push(
        `  ${stack} ${row.metric}: robust CV ${row.robustCv.toFixed(1)} %, pair-ratio spread ${row.pairSpread.toFixed(1)} %, resolves ±${row.resolvable[6].toFixed(1)} / ${row.resolvable[10].toFixed(1)} / ${row.resolvable[20].toFixed(1)} % at 6 / 10 / 20 pairs`,
      )
    }
    const random = seededRandom(1000 + s)
    const counts = { pass: 0, regression: 0, inconclusive: 0 }
    const trialsUsed: number[] = []
    const last = Math.min(maxTrials, cell.baseline.length)
    for (let r = 0; r < RESAMPLES; r++) {
      const order = cell.baseline.map((_, i) => ({ i, key: random.uniform() }))
      order.sort((a, b) => a.key - b.key)
      const pick = <T>(values: readonly T[], n: number) => order.slice(0, n).map((o) => values[o.i] as T)
      for (let n = minTrials; n <= last; n++) {
        const look = { trials: n, minTrials, maxTrials: last }
        const candidate = pick(cell.candidate, n)
        const judged = judgeCells(
          [
            {
              ...cell,
              baseline: pick(cell.baseline, n),
              candidate,
              candidateErrorPercent: median(candidate.map((m) => m.errorRate)),
              cpuPerRequest: (cell.cpuPerRequest ?? []).map((cpu) => ({
                tier: cpu.tier,
                baseline: pick(cpu.baseline, n),
                candidate: pick(cpu.candidate, n),
              })),
            },
          ],
          config,
          'A',
          'B',
          look,
        )
        if (judged.verdict !== 'inconclusive' || n === last) {
          counts[judged.verdict]++
          trialsUsed.push(n)
          break
        }
      }
    }
    const total = counts.pass + counts.regression + counts.inconclusive
    resampled.push(
      `  ${stack} A/A (${cell.baseline.length} recorded pairs): false fail ${pct(counts.regression, total)} [target ≤ 1 %: ${mark(counts.regression / total <= 0.01)}], pass ${pct(counts.pass, total)}, inconclusive ${pct(counts.inconclusive, total)}, median ${median(trialsUsed)} pairs`,
    )
  }
}

// (b) live runs, the cases interleaved
const gateProfile = (name: string, path: string, base: string, cand: string, stack = '') => `name: ${name}
trials: auto
minTrials: ${minTrials}
maxTrials: ${maxTrials}
apps:
  base: ${base}
  cand: ${cand}
stacks:
  - { name: baseline, app: base${stack} }
  - { name: candidate, app: cand${stack} }
gate: { baseline: baseline, candidate: candidate${alternate} }
${phase(path)}`
interface Case {
  key: string
  name: string
  yaml: string
  /** A/A: passes needed (of LIVE, scaled from 18/20); otherwise the regressions needed (scaled). */
  aa: boolean
  needed: number
}
const cases: Case[] = [
  {
    key: 'aa-node',
    name: 'A/A Node /cpu?ms=1 c=2',
    yaml: gateProfile('aa-node', '/cpu?ms=1', node(), node()),
    aa: true,
    needed: 18,
  },
  {
    key: 'aa-gunicorn',
    name: 'A/A nginx → gunicorn -w 2',
    yaml: gateProfile('aa-gunicorn', '/cpu?ms=1', flask, flask, ', workers: 2, proxy: nginx'),
    aa: true,
    needed: 18,
  },
  {
    key: 'rps',
    name: '10 % fewer req/s',
    yaml: gateProfile('rps', '/cpu?ms=1', node(), node(', --extra-cpu-ms, "0.12"')),
    aa: false,
    needed: 19,
  },
  {
    key: 'p50',
    name: '10 % higher p50',
    yaml: gateProfile('p50', '/sleep?ms=10', node(), node(', --extra-delay-ms, "1"')),
    aa: false,
    needed: 19,
  },
  {
    key: 'cpu',
    name: '5 % more CPU per request (app)',
    yaml: gateProfile('cpu', '/cpu?ms=1', node(), node(', --extra-cpu-ms, "0.06"')),
    aa: false,
    needed: 15,
  },
].filter((c) => LIVE > 0 && (!ONLY || ONLY.includes(c.key)))
const verdictOf: Record<number, string> = { 0: 'pass', 6: 'regression', 7: 'inconclusive' }
const live = cases.map(() => ({
  counts: {} as Record<string, number>,
  trials: [] as number[],
  ms: [] as number[],
  /** Runs whose CPU/request row (any tier) read warn or fail: the 5 % CPU case is flagged, not failed, when its
   * true change (+5.3 %) is on the fail threshold (+5 %), for an interval cannot lie wholly past it. */
  cpuFlagged: 0,
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
    const rowsWith = (verdict: string) =>
      gate?.rows
        .filter((row) => row.verdict === verdict)
        .map((row) => `${row.metric}${row.tier ? ` (${row.tier})` : ''}`) ?? []
    if (gate?.rows.some((row) => row.metric === 'cpuPerRequest' && ['warn', 'fail'].includes(row.verdict)))
      record.cpuFlagged++
    const failed = rowsWith('fail')
    const undecided = rowsWith('inconclusive')
    const change = (metric: string) => {
      const row = gate?.rows.find((r) => r.metric === metric)
      const value = row?.change ? (row.change.ratio - 1) * 100 : (row?.changePct ?? 0)
      return `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`
    }
    console.log(
      `${c.name} ${k}/${LIVE}: ${verdict} at ${gate?.sequential?.trials ?? '?'} pairs, ${(run.ms / 1000).toFixed(0)} s (req/s ${change('reqPerSec')}, p50 ${change('p50')}, CPU/request ${change('cpuPerRequest')}${failed.length ? `; failed on ${failed.join(', ')}` : ''}${undecided.length ? `; inconclusive on ${undecided.join(', ')}` : ''})`,
    )
  }
}

if (resampled.length > 0) {
  console.log(
    `\n(a) resampled A/A: ${RESAMPLES} sequential gates per stack from ${RECORDED} recorded pairs of ${SECONDS} s trials${SLICES ? ' (slices)' : ''}`,
  )
  for (const line of resampled) console.log(line)
  console.log('A/A spread of every gated metric, from the recorded pairs:')
  for (const line of spread) console.log(line)
}
if (cases.length > 0) {
  console.log(
    `(b) live bench run --gate, trials: auto ${minTrials} to ${maxTrials}, ${SLICES ? 'alternating slices' : 'a restart per trial'}, ${LIVE} runs a case, interleaved`,
  )
}
for (const [i, c] of cases.entries()) {
  const r = live[i] as (typeof live)[number]
  const n = (key: string) => r.counts[key] ?? 0
  // the targets are of 20 runs: scaled to LIVE when fewer are run (a smoke run), rounded up
  const needed = Math.ceil((c.needed / 20) * LIVE)
  const wall = r.ms.length ? median(r.ms) / 1000 : Number.NaN
  const figures = c.aa
    ? `pass ${pct(n('pass'), LIVE)} [target ≥ ${needed}/${LIVE}: ${mark(n('pass') >= needed)}], false fail ${pct(n('regression'), LIVE)} [target 0: ${mark(n('regression') === 0)}], median wall ${wall.toFixed(0)} s [target < 90 s: ${mark(wall < 90)}]`
    : `caught ${pct(n('regression'), LIVE)} [target ≥ ${needed}/${LIVE}: ${mark(n('regression') >= needed)}], CPU/request warn or fail in ${pct(r.cpuFlagged, LIVE)}, median wall ${wall.toFixed(0)} s`
  console.log(
    `  ${c.name}: ${figures}; inconclusive ${n('inconclusive')}, pass ${n('pass')}; median ${r.trials.length ? median(r.trials) : '?'} pairs`,
  )
}
