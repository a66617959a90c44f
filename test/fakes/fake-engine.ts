import type { LoadEngine } from '../../src/load/load-engine.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import { seededRandom } from '../../src/seeded-random.js'
import type { RunningStack } from '../../src/stacks/start-stack.js'

/** A stack as the fake engine models it: a single server of this capacity and service time. */
export interface FakeServer {
  /** req/s it can serve at most. */
  capacity: number
  serviceMs: number
  /** ± this share of noise on each trial's throughput and latency (seeded, repeatable). */
  noise?: number
}

/**
 * A LoadEngine without sockets, for tests of runPlan, the capacity search and the gate: each stack (by the
 * host of its base URL, fake://NAME) is a D/D/1 server. Closed loop: throughput min(capacity, c ÷ service),
 * latency by Little's law. Open loop: latency is the service time up to the capacity; beyond it a backlog grows
 * at (rate − capacity) per second, so corrected latency climbs from the service time to backlog ÷ capacity.
 */
export function fakeEngine(servers: Record<string, FakeServer>): LoadEngine & { steps: number } {
  let steps = 0
  const engine = {
    get steps() {
      return steps
    },
    async run(target: { baseUrl: string }, load: Parameters<LoadEngine['run']>[1]): Promise<TrialSample> {
      const name = new URL(target.baseUrl).host
      const server = servers[name]
      if (!server) throw new Error(`fake engine: no server "${name}"`)
      const next = seededRandom(++steps)
      const jitter = () => 1 + (server.noise ?? 0) * (2 * next() - 1)
      const seconds = load.durationMs / 1000
      const latency = new LatencyRecorder()
      const corrected = new LatencyRecorder()
      const lag = new LatencyRecorder()
      let successes: number
      if (load.loop !== 'open') {
        const rate = Math.min(server.capacity, load.connections / (server.serviceMs / 1000)) * jitter()
        successes = Math.round(rate * seconds)
        const ms = (load.connections / rate) * 1000
        for (let i = 0; i < successes; i++) latency.record(ms * 1000 * jitter())
      } else {
        const offered = load.rate.from
        const served = Math.min(offered, server.capacity)
        successes = Math.round(offered * seconds)
        const backlogMs = ((Math.max(0, offered - server.capacity) * seconds) / server.capacity) * 1000
        for (let i = 0; i < successes; i++) {
          const ms = server.serviceMs * jitter()
          latency.record(ms * 1000)
          corrected.record((ms + (backlogMs * i) / successes) * 1000)
          lag.record(20)
        }
        const durationMs = (successes / served) * 1000
        return {
          successes,
          bytes: successes * 100,
          durationMs,
          errors: emptyErrorCounts(),
          histogram: latency.encode(),
          open: {
            targetRate: offered,
            sent: successes,
            blocked: 0,
            correctedHistogram: corrected.encode(),
            sendLagHistogram: lag.encode(),
            timeline: [],
          },
          generator: { threads: 1, cpuPercent: 10, eventLoopUtilization: 0.1 },
        }
      }
      return {
        successes,
        bytes: successes * 100,
        durationMs: load.durationMs,
        errors: emptyErrorCounts(),
        histogram: latency.encode(),
        generator: { threads: 1, cpuPercent: 10, eventLoopUtilization: 0.1 },
      }
    },
    /** Side loads that hold nothing: every connection opened and held to the end. */
    async startSide(_: { baseUrl: string }, side: Parameters<LoadEngine['startSide']>[1]) {
      const usage = { name: side.kind === 'idle' ? 'idle crowd' : 'slow clients', cpuPercent: 1, busy: 0.01 }
      return {
        stop: async () =>
          side.kind === 'idle'
            ? { idle: { connections: side.connections, opened: side.connections, closed: 0 }, usage }
            : {
                slowClients: {
                  kind: side.spec.kind,
                  connections: side.spec.connections,
                  served: 0,
                  held: side.spec.connections,
                  closed: 0,
                  refused: 0,
                },
                usage,
              },
      }
    },
  }
  return engine
}

/** A stack that is no process: its base URL names the fake server it stands for. */
export async function fakeStack(spec: { name: string }): Promise<RunningStack> {
  return {
    name: spec.name,
    baseUrl: `fake://${spec.name}`,
    processes: [],
    startupMs: 1,
    tiers: [],
    stop: async () => {},
  }
}
