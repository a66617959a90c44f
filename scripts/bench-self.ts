/**
 * npm run bench:self — how strong is bench's load generator? Measured side by side in one run, interleaved over
 * rounds, medians printed (this machine is noisy: only side-by-side figures compare):
 *
 * 1. Closed loop against nginx `return 200` and against the Node reference app (direct), at 50 and 256
 *    connections: bench's engine on 1 and 2 generator threads, autocannon (bench's autocannon engine, 1 thread)
 *    and wrk -t1; ratios engine ÷ wrk; the generator's CPU per request.
 * 2. Open loop against nginx at 10,000 and 30,000 req/s: corrected and uncorrected p50/p99, send lag p50/p99,
 *    achieved rate, the generator's CPU per request; wrk2 beside it when WRK2=/path/to/wrk2 is given (never
 *    installed by the project: build it yourself, for measurement only).
 * 3. The highest open-loop rate each sustains against nginx: bench with achieved ≥ 99 % of offered and send-lag
 *    p99 ≤ 2 ms; wrk2 with its recorded window ≥ 99 % of offered.
 *
 * 4. HTTP/2 in clear text (h2c) against nginx `return 200`, 4 connections × 10 streams: bench's engine beside
 *    h2load -c 4 -m 10 (Debian's nghttp2-client), req/s, mean latency and bench's CPU per request.
 *
 * Environment: SECONDS (5), ROUNDS (3), RATES ("10000,30000"), LADDER ("20000,30000,40000,50000,60000,70000"),
 * WRK2 (unset), ONLY ("closed,open,max,h2": the sections to run).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { median } from 'simple-statistics'
import type { ClosedLoadSpec, LoadSpec, OpenLoadSpec } from '../src/load/contract/load-spec.js'
import type { LoadTarget } from '../src/load/contract/load-target.js'
import { createThreadedEngine } from '../src/load/threaded-engine.js'
import { summarizeLatency } from '../src/samples/latency-histogram.js'
import { freePort } from '../src/stacks/free-port.js'
import { type ManagedProcess, spawnProcess } from '../src/stacks/spawn-process.js'
import { waitReady } from '../src/stacks/wait-ready.js'
import { repoRoot } from '../test/integration/harness.js'
import { runWrk } from '../test/integration/wrk.js'
import { startNginx } from './start-nginx.js'
import { runWrk2 } from './wrk2.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

const seconds = Number(process.env.SECONDS ?? 5)
const rounds = Number(process.env.ROUNDS ?? 3)
const rates = (process.env.RATES ?? '10000,30000').split(',').map(Number)
const ladder = (process.env.LADDER ?? '20000,30000,40000,50000,60000,70000').split(',').map(Number)
const wrk2 = process.env.WRK2
const only = new Set((process.env.ONLY ?? 'closed,open,max,h2').split(','))
/** wrk2 calibrates for 10 s + 5 ms per connection before it records (see scripts/wrk2.ts). */
const wrk2Seconds = 20
const openConnections = 100

const round = (x: number, digits = 0) => Number(x.toFixed(digits))

async function startNode(): Promise<{ url: string; process: ManagedProcess }> {
  const port = await freePort('127.0.0.1')
  const node = await spawnProcess({
    name: 'node',
    command: process.execPath,
    args: [join(repoRoot, 'apps/node/server.mjs'), '--port', String(port)],
    cwd: repoRoot,
    env: { NODE_ENV: 'production' },
  })
  const url = `http://127.0.0.1:${port}`
  await waitReady(`${url}/health`, { name: 'node', status: 200, timeoutMs: 10_000, watch: [node] })
  return { url, process: node }
}

const requests = [{ method: 'GET' as const, path: '/', headers: {} }]

function closed(connections: number, generators: number, engine: LoadSpec['engine']): ClosedLoadSpec {
  return {
    loop: 'closed',
    engine,
    protocol: 'http1',
    streams: 1,
    generators,
    connections,
    pipelining: 1,
    durationMs: seconds * 1000,
    timeoutMs: 10_000,
    requests,
  }
}

function open(rate: number): OpenLoadSpec {
  return {
    loop: 'open',
    engine: 'bench',
    protocol: 'http1',
    streams: 1,
    generators: 1,
    rate: { from: rate, to: rate },
    spacing: 'uniform',
    maxConnections: openConnections,
    seed: 1,
    durationMs: seconds * 1000,
    timeoutMs: 10_000,
    requests,
  }
}

/** One step on the engine: req/s, latency (ms), and this process's CPU per 2xx response (µs). */
async function measure(target: LoadTarget, load: LoadSpec) {
  const before = process.cpuUsage()
  const sample = await threadedEngine.run(target, load, new AbortController().signal)
  const cpu = process.cpuUsage(before)
  const openLoop = sample.open
  return {
    reqPerSec: (sample.successes * 1000) / sample.durationMs,
    cpuPerRequest: (cpu.user + cpu.system) / Math.max(1, sample.successes),
    uncorrected: summarizeLatency([sample.histogram]),
    corrected: openLoop ? summarizeLatency([openLoop.correctedHistogram]) : undefined,
    lag: openLoop ? summarizeLatency([openLoop.sendLagHistogram]) : undefined,
    offered: openLoop?.targetRate ?? 0,
    errors: sample.errors,
  }
}

const line = (label: string, ...values: (number | string)[]) =>
  console.log(`  ${label.padEnd(44)}${values.map((v) => String(v).padStart(10)).join('')}`)

async function closedLoop(targets: Record<string, string>) {
  const cpu: number[] = []
  for (const [name, url] of Object.entries(targets)) {
    for (const connections of [50, 256]) {
      const r = {
        engine1: [] as number[],
        engine2: [] as number[],
        autocannon: [] as number[],
        wrk: [] as number[],
      }
      for (let i = 0; i < rounds; i++) {
        const one = await measure({ baseUrl: url }, closed(connections, 1, 'bench'))
        r.engine1.push(one.reqPerSec)
        if (name === 'nginx' && connections === 50) cpu.push(one.cpuPerRequest)
        r.engine2.push((await measure({ baseUrl: url }, closed(connections, 2, 'bench'))).reqPerSec)
        r.autocannon.push((await measure({ baseUrl: url }, closed(connections, 1, 'autocannon'))).reqPerSec)
        r.wrk.push((await runWrk(`${url}/`, connections, seconds)).reqPerSec)
        console.log(
          `  ${name} c=${connections} round ${i + 1}: engine×1 ${round(one.reqPerSec)}, engine×2 ${round(r.engine2.at(-1) ?? 0)}, autocannon ${round(r.autocannon.at(-1) ?? 0)}, wrk ${round(r.wrk.at(-1) ?? 0)} req/s`,
        )
      }
      const m = (k: keyof typeof r) => median(r[k])
      console.log(`\nclosed loop, ${name}, ${connections} connections (medians of ${rounds}, req/s):`)
      line('engine, 1 generator thread', round(m('engine1')))
      line('engine, 2 generator threads', round(m('engine2')))
      line('autocannon (bench engine: autocannon)', round(m('autocannon')))
      line('wrk -t1', round(m('wrk')))
      line('engine×1 ÷ wrk          (target ≥ 0.8 at c=50)', round(m('engine1') / m('wrk'), 3))
      line('engine×2 ÷ wrk', round(m('engine2') / m('wrk'), 3))
      line('engine×1 ÷ autocannon', round(m('engine1') / m('autocannon'), 3))
      console.log('')
    }
  }
  console.log(
    `generator CPU per request, closed loop, nginx, 50 connections: ${round(median(cpu), 1)} µs (target ≤ 20)\n`,
  )
}

async function openLoop(url: string) {
  for (const rate of rates) {
    const ours: Awaited<ReturnType<typeof measure>>[] = []
    const theirs: Awaited<ReturnType<typeof runWrk2>>[] = []
    for (let i = 0; i < rounds; i++) {
      ours.push(await measure({ baseUrl: url }, open(rate)))
      if (wrk2)
        theirs.push(await runWrk2(`${url}/`, { rate, connections: openConnections, seconds: wrk2Seconds }))
    }
    const m = (pick: (x: (typeof ours)[number]) => number | null | undefined) =>
      round(median(ours.map((x) => pick(x) ?? 0)), 3)
    console.log(
      `\nopen loop, nginx, ${rate} req/s offered, ≤ ${openConnections} connections (medians of ${rounds}):`,
    )
    line('', 'achieved', 'corr p50', 'corr p99', 'unc p50', 'unc p99', 'lag p50', 'lag p99')
    line(
      'bench engine (ms)',
      round(m((x) => x.reqPerSec)),
      m((x) => x.corrected?.p50),
      m((x) => x.corrected?.p99),
      m((x) => x.uncorrected.p50),
      m((x) => x.uncorrected.p99),
      m((x) => x.lag?.p50),
      m((x) => x.lag?.p99),
    )
    if (theirs.length) {
      const w = (pick: (x: (typeof theirs)[number]) => number) => round(median(theirs.map(pick)), 3)
      line(
        'wrk2 -t1 (ms)',
        round(w((x) => x.recordedReqPerSec)),
        w((x) => x.corrected.p50),
        w((x) => x.corrected.p99),
        w((x) => x.uncorrected.p50),
        w((x) => x.uncorrected.p99),
        '-',
        '-',
      )
    }
    console.log(
      `  generator CPU per request: ${m((x) => x.cpuPerRequest)} µs (target ≤ 20)${rate === 10_000 ? '; at 10,000 req/s the targets are lag p50 ≤ 0.3 ms, p99 ≤ 2 ms' : ''}`,
    )
  }
}

async function maxRate(url: string) {
  let ours = 0
  let theirs = 0
  console.log('\nhighest open-loop rate sustained against nginx:')
  for (const rate of ladder) {
    const r = await measure({ baseUrl: url }, open(rate))
    const kept = r.reqPerSec >= 0.99 * rate && (r.lag?.p99 ?? 0) <= 2
    if (kept) ours = Math.max(ours, rate)
    let wrk2Text = ''
    if (wrk2) {
      const w = await runWrk2(`${url}/`, { rate, connections: openConnections, seconds: wrk2Seconds })
      if (w.recordedReqPerSec >= 0.99 * rate) theirs = Math.max(theirs, rate)
      wrk2Text = `; wrk2 ${round(w.recordedReqPerSec)} req/s, corrected p50 ${w.corrected.p50} p99 ${w.corrected.p99} ms`
    }
    console.log(
      `  ${rate}: bench ${round(r.reqPerSec)} req/s, lag p99 ${round(r.lag?.p99 ?? 0, 2)} ms, corrected p50 ${r.corrected?.p50} p99 ${r.corrected?.p99} ms${kept ? '' : ' (not sustained)'}${wrk2Text}`,
    )
  }
  line('bench engine, 1 thread (target ≥ 30,000)', ours)
  if (wrk2) line('wrk2 -t1', theirs)
}

/** h2load's req/s and mean time per request (ms), from its summary. */
async function runH2load(url: string, connections: number, streams: number) {
  const { stdout } = await promisify(execFile)('h2load', [
    '-c',
    String(connections),
    '-m',
    String(streams),
    '-D',
    String(seconds),
    `${url}/`,
  ])
  const [, mean, unit] = /time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(stdout) ?? []
  return {
    reqPerSec: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(stdout)?.[1]),
    meanMs: Number(mean) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1),
  }
}

async function http2(h2cUrl: string) {
  const load: ClosedLoadSpec = { ...closed(4, 1, 'bench'), protocol: 'h2c', streams: 10 }
  const ours = { rate: [] as number[], mean: [] as number[], cpu: [] as number[] }
  const theirs = { rate: [] as number[], mean: [] as number[] }
  for (let r = 0; r < rounds; r++) {
    const one = await measure({ baseUrl: h2cUrl }, load)
    ours.rate.push(one.reqPerSec)
    ours.mean.push(one.uncorrected.mean ?? Number.NaN)
    ours.cpu.push(one.cpuPerRequest)
    const h2load = await runH2load(h2cUrl, 4, 10)
    theirs.rate.push(h2load.reqPerSec)
    theirs.mean.push(h2load.meanMs)
  }
  console.log(`\nh2c closed loop, nginx, 4 connections × 10 streams (medians of ${rounds}):`)
  line('', 'req/s', 'mean ms', 'µs/req')
  line(
    'bench engine, 1 thread',
    round(median(ours.rate)),
    round(median(ours.mean), 3),
    round(median(ours.cpu), 1),
  )
  line('h2load -c 4 -m 10', round(median(theirs.rate)), round(median(theirs.mean), 3), '')
  line('ratio bench ÷ h2load (req/s)', round(median(ours.rate) / median(theirs.rate), 2))
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-self-'))
  const servers: ManagedProcess[] = []
  try {
    const nginx = await startNginx(dir)
    servers.push(nginx.process)
    const node = await startNode()
    servers.push(node.process)
    console.log(
      `bench:self — ${seconds} s steps, ${rounds} interleaved rounds${wrk2 ? `, wrk2 ${wrk2}` : ''}\n`,
    )
    if (only.has('closed')) await closedLoop({ nginx: nginx.url, node: node.url })
    if (only.has('open')) await openLoop(nginx.url)
    if (only.has('max')) await maxRate(nginx.url)
    if (only.has('h2')) await http2(nginx.h2cUrl)
  } finally {
    for (const server of servers) await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
