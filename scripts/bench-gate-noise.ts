/**
 * npm run bench:gate-noise — how often does the gate cry wolf, and how often does it catch a real regression?
 * Runs K A/A comparisons (the same app on both sides) and K comparisons whose candidate spends ~10 % more CPU
 * per request (10 % fewer req/s on a CPU-bound endpoint), each a full `bench run --gate` with real processes,
 * and prints the false-fail rate, the detection rate and how many came out inconclusive.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const K = Number(process.env.K ?? 10)
const trials = Number(process.env.TRIALS ?? 5)
// /cpu?ms=2 keeps node's one thread busy; 0.22 ms more per request is 11 % more CPU → ~10 % fewer req/s
const injectedCpuMs = 0.22

function profile(candidateExtra: string): string {
  const server = join(root, 'apps/node/server.mjs')
  return `name: gate-noise
trials: ${trials}
apps:
  base: { command: node, args: [${server}, --port, "{port}"], ready: { path: /health } }
  cand: { command: node, args: [${server}, --port, "{port}"${candidateExtra}], ready: { path: /health } }
stacks:
  - { name: baseline, app: base }
  - { name: candidate, app: cand }
gate: { baseline: baseline, candidate: candidate }
phases:
  - { name: cpu, connections: 2, duration: 2s, warmup: 500ms, requests: [{ path: "/cpu?ms=2" }] }
`
}

const verdicts = { 0: 'pass', 6: 'regression', 7: 'inconclusive' } as Record<number, string>

function gateOnce(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-noise-'))
  writeFileSync(join(dir, 'p.yml'), yaml)
  const run = spawnSync(
    process.execPath,
    [join(root, 'dist/src/cli/main.js'), 'run', join(dir, 'p.yml'), '--gate', '--out', join(dir, 'r.json')],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  )
  return verdicts[run.status ?? -1] ?? `error (exit ${run.status}): ${run.stderr.trim().split('\n').at(-1)}`
}

function series(label: string, yaml: string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let k = 1; k <= K; k++) {
    const verdict = gateOnce(yaml)
    counts[verdict] = (counts[verdict] ?? 0) + 1
    console.log(`${label} ${k}/${K}: ${verdict}`)
  }
  return counts
}

const aa = series('A/A', profile(''))
const injected = series('10 % regression', profile(`, --extra-cpu-ms, "${injectedCpuMs}"`))
const rate = (counts: Record<string, number>, key: string) =>
  `${counts[key] ?? 0}/${K} (${(((counts[key] ?? 0) / K) * 100).toFixed(0)} %)`
console.log(`\n${K} comparisons each, ${trials} trials per side, interleaved, 2 s per trial:`)
console.log(
  `  A/A          false-fail rate ${rate(aa, 'regression')}, inconclusive ${rate(aa, 'inconclusive')}, pass ${rate(aa, 'pass')}`,
)
console.log(
  `  10 % slower  detection rate  ${rate(injected, 'regression')}, inconclusive ${rate(injected, 'inconclusive')}, pass ${rate(injected, 'pass')}`,
)
