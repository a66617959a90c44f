/**
 * npm run bench:self — how fast is bench's load generator? Against one nginx `return 200` target and one
 * connection count, measured side by side in one run, interleaved over rounds: bench's driver with 1 and with
 * 2 generator threads, bare autocannon (same package, in-process, none of bench's per-response work) and wrk
 * (C, one thread). Prints req/s and the ratios. Also what each request costs the generator in CPU, closed loop
 * and open loop (OPEN_RATE req/s, Poisson): the open-loop cost decides how high a capacity search can reach.
 */
import { writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { median } from 'simple-statistics'
import { threadedDriver } from '../src/load/threaded-driver.js'
import type { LoadSpec } from '../src/plan/build-plan.js'
import { findExecutable } from '../src/stacks/find-executable.js'
import { freePort } from '../src/stacks/free-port.js'
import { spawnProcess } from '../src/stacks/spawn-process.js'
import { waitReady } from '../src/stacks/wait-ready.js'
import { runWrk } from '../test/integration/wrk.js'

const connections = Number(process.env.CONNECTIONS ?? 50)
const seconds = Number(process.env.SECONDS ?? 5)
const rounds = Number(process.env.ROUNDS ?? 3)
const openRate = Number(process.env.OPEN_RATE ?? 2000)

function bareAutocannon(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, pipelining: 1, duration: seconds, timeout: 10 }, (error, result) => {
      if (error) return reject(error)
      const r = result as { requests: { total: number }; duration: number }
      resolve(r.requests.total / r.duration)
    })
  })
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-self-'))
  const port = await freePort('127.0.0.1')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes auto;\npid ${dir}/nginx.pid;\nerror_log stderr warn;\nevents { worker_connections 4096; }\n` +
      `http { access_log off; keepalive_requests 1000000;\n  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } } }\n`,
  )
  const nginx = await spawnProcess({
    name: 'nginx',
    command: findExecutable('nginx', dir) ?? 'nginx',
    args: ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf')],
    cwd: dir,
    env: {},
  })
  const url = `http://127.0.0.1:${port}`
  const rates = {
    harness1: [] as number[],
    harness2: [] as number[],
    autocannon: [] as number[],
    wrk: [] as number[],
  }
  /** The generator's CPU (this process, every thread) per 2xx response, µs. */
  const cpuPerRequest = { closed: [] as number[], open: [] as number[] }
  try {
    await waitReady(`${url}/`, { name: 'nginx', status: 200, timeoutMs: 5000, watch: [nginx] })
    const load = {
      loop: 'closed' as const,
      generators: 1,
      connections,
      pipelining: 1,
      durationMs: seconds * 1000,
      timeoutMs: 10_000,
      requests: [{ method: 'GET' as const, path: '/', headers: {} }],
    }
    const harness = async (generators: number, spec: LoadSpec = { ...load, generators }) => {
      const before = process.cpuUsage()
      const sample = await threadedDriver.run(url, spec, new AbortController().signal)
      const cpu = process.cpuUsage(before)
      const perRequest = (cpu.user + cpu.system) / Math.max(1, sample.successes)
      return { reqPerSec: (sample.successes * 1000) / sample.durationMs, perRequest }
    }
    const open: LoadSpec = {
      ...load,
      loop: 'open',
      rate: { from: openRate, to: openRate },
      spacing: 'poisson',
      maxConnections: 512,
      seed: 1,
    }
    for (let round = 1; round <= rounds; round++) {
      const closed = await harness(1)
      rates.harness1.push(closed.reqPerSec)
      cpuPerRequest.closed.push(closed.perRequest)
      cpuPerRequest.open.push((await harness(1, open)).perRequest)
      rates.harness2.push((await harness(2)).reqPerSec)
      rates.autocannon.push(await bareAutocannon(url))
      rates.wrk.push((await runWrk(`${url}/`, connections, seconds)).reqPerSec)
      const last = (k: keyof typeof rates) => Math.round(rates[k].at(-1) ?? 0)
      console.log(
        `round ${round}: harness×1 ${last('harness1')}  harness×2 ${last('harness2')}  autocannon ${last('autocannon')}  wrk ${last('wrk')} req/s; ` +
          `generator CPU per request: closed ${Math.round(closed.perRequest)} µs, open ${Math.round(cpuPerRequest.open.at(-1) ?? 0)} µs`,
      )
    }
  } finally {
    await nginx.stop()
    await rm(dir, { recursive: true, force: true })
  }
  const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof rates,
    number
  >
  const line = (label: string, value: number) => console.log(`  ${label.padEnd(34)}${value}`)
  console.log(
    `\nnginx return 200, ${connections} connections, ${seconds} s × ${rounds} interleaved rounds (medians, req/s):`,
  )
  line('harness, 1 generator thread', Math.round(m.harness1))
  line('harness, 2 generator threads', Math.round(m.harness2))
  line('bare autocannon (in-process)', Math.round(m.autocannon))
  line('wrk -t1', Math.round(m.wrk))
  line('harness×1 / autocannon', Number((m.harness1 / m.autocannon).toFixed(3)))
  line('harness×1 / wrk', Number((m.harness1 / m.wrk).toFixed(3)))
  line('harness×2 / wrk', Number((m.harness2 / m.wrk).toFixed(3)))
  const closedCpu = median(cpuPerRequest.closed)
  const openCpu = median(cpuPerRequest.open)
  console.log('\ngenerator CPU per request, this process with its threads (medians, µs):')
  line(`closed loop, ${connections} connections`, Math.round(closedCpu))
  line(`open loop, ${openRate} req/s Poisson`, Math.round(openCpu))
  line('open / closed', Number((openCpu / closedCpu).toFixed(2)))
  line('open loop: req/s per core at most', Math.round(1e6 / openCpu))
}

await main()
