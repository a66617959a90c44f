/**
 * npm run bench:agents — is anything lost in coordination? One `bench agent` on loopback beside bench's local
 * engine at the same load, against nginx `return 200`, in interleaved rounds (local, agent, agent, local, …):
 * closed loop at 50 connections and open loop at RATE req/s, one generator thread each. Prints req/s and p99 side
 * by side with the ratio agent ÷ local (target: within 5 %), the most progress messages the agent sent in any
 * one second (target ≤ 4) and the size of its largest step reply, in bytes (target < 100 KB).
 *
 * Env: SECONDS (5), ROUNDS (3), RATE (20000).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from 'simple-statistics'
import { createAgentEngine } from '../src/agents/agent-engine.js'
import { startCoordinator } from '../src/agents/start-coordinator.js'
import type { LoadSpec } from '../src/load/contract/load-spec.js'
import type { LoadEngine } from '../src/load/load-engine.js'
import { createThreadedEngine } from '../src/load/threaded-engine.js'
import { summarizeLatency } from '../src/samples/latency-histogram.js'
import { freePort } from '../src/stacks/free-port.js'
import { mainJs, repoRoot } from '../test/integration/harness.js'
import { startNginx } from './start-nginx.js'

const seconds = Number(process.env.SECONDS ?? 5)
const rounds = Number(process.env.ROUNDS ?? 3)
const rate = Number(process.env.RATE ?? 20_000)
const token = 'bench-agents-token-0123456789abcdef'
const round = (x: number, digits = 0) => Number(x.toFixed(digits))

const common = {
  engine: 'bench' as const,
  protocol: 'http1' as const,
  streams: 1,
  generators: 1,
  durationMs: seconds * 1000,
  timeoutMs: 10_000,
  requests: [{ method: 'GET' as const, path: '/', headers: {} }],
}
const loads: Record<string, LoadSpec> = {
  'closed, 50 connections': { ...common, loop: 'closed', connections: 50, pipelining: 1 },
  [`open, ${rate} req/s`]: {
    ...common,
    loop: 'open',
    rate: { from: rate, to: rate },
    spacing: 'uniform',
    maxConnections: 100,
    seed: 1,
  },
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-agents-'))
  const nginx = await startNginx(dir)
  const local = createThreadedEngine()
  const listen = await freePort('127.0.0.1')
  const coordinating = startCoordinator({
    host: '127.0.0.1',
    port: listen,
    agents: 1,
    token,
    timeoutMs: 30_000,
    version: (await import('../src/cli/package-versions.js')).packageVersions().bench,
    log: () => {},
  })
  const agentProcess = spawn(
    process.execPath,
    [mainJs, 'agent', '--coordinator', `127.0.0.1:${listen}`, '--name', 'a'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, BENCH_AGENT_TOKEN: token },
    },
  )
  const coordinator = await coordinating
  try {
    const { url } = nginx
    const agent = coordinator.agents[0]
    if (!agent) throw new Error('no agent')
    // what crosses the wire from the agent: progress times and reply sizes
    let progressTimes: number[] = []
    let largestReply = 0
    agent.socket.onMessage((data) => {
      const type = (data as { type?: string }).type
      if (type === 'progress') progressTimes.push(performance.now())
      if (type === 'sample') largestReply = Math.max(largestReply, Buffer.byteLength(JSON.stringify(data)))
    })
    let maxProgressPerSecond = 0
    const engines: Record<'local' | 'agent', LoadEngine> = {
      local,
      agent: createAgentEngine(coordinator.agents, local),
    }
    console.log(
      `bench:agents — ${seconds} s steps, ${rounds} interleaved rounds, nginx return 200, 1 thread each\n`,
    )
    for (const [name, load] of Object.entries(loads)) {
      const results = {
        local: { rate: [] as number[], p99: [] as number[] },
        agent: { rate: [] as number[], p99: [] as number[] },
      }
      for (let i = 0; i < rounds; i++) {
        const order: ('local' | 'agent')[] = i % 2 === 0 ? ['local', 'agent'] : ['agent', 'local']
        for (const side of order) {
          progressTimes = []
          const sample = await engines[side].run(
            { baseUrl: url },
            load,
            new AbortController().signal,
            () => {},
          )
          const histogram = sample.open?.correctedHistogram ?? sample.histogram
          results[side].rate.push((sample.successes * 1000) / sample.durationMs)
          results[side].p99.push(summarizeLatency([histogram]).p99 ?? Number.NaN)
          console.log(
            `  ${name} round ${i + 1} ${side.padEnd(5)}: ${round(results[side].rate.at(-1) ?? 0)} req/s, p99 ${round(results[side].p99.at(-1) ?? 0, 3)} ms`,
          )
          if (side === 'agent')
            for (const t of progressTimes)
              maxProgressPerSecond = Math.max(
                maxProgressPerSecond,
                progressTimes.filter((u) => u >= t && u < t + 1000).length,
              )
        }
      }
      const m = (side: 'local' | 'agent', key: 'rate' | 'p99') => median(results[side][key])
      console.log(`${name} (medians of ${rounds}):         local      agent   agent ÷ local`)
      console.log(
        `  req/s                       ${String(round(m('local', 'rate'))).padStart(10)} ${String(round(m('agent', 'rate'))).padStart(10)} ${String(round(m('agent', 'rate') / m('local', 'rate'), 3)).padStart(10)}`,
      )
      console.log(
        `  p99 ms${load.loop === 'open' ? ' (corrected)' : '            '}        ${String(round(m('local', 'p99'), 3)).padStart(10)} ${String(round(m('agent', 'p99'), 3)).padStart(10)} ${String(round(m('agent', 'p99') / m('local', 'p99'), 3)).padStart(10)}`,
      )
    }
    console.log(`\nprogress messages from the agent, most in any 1 s: ${maxProgressPerSecond} (target ≤ 4)`)
    console.log(`largest step reply from the agent: ${largestReply} bytes (target < 100,000)`)
  } finally {
    await coordinator.close()
    await new Promise((resolve) =>
      agentProcess.exitCode !== null ? resolve(undefined) : agentProcess.once('exit', resolve),
    )
    await local.close()
    await nginx.process.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
