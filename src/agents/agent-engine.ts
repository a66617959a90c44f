import { performance } from 'node:perf_hooks'
import { BenchError } from '../bench-error.js'
import { type AgentSample, fromAgentSchema, type ToAgent } from '../load/contract/agent-messages.js'
import type { LoadProgress } from '../load/contract/generator-messages.js'
import type { LoadTarget } from '../load/contract/load-target.js'
import { parseMessage } from '../load/contract/parse-message.js'
import { splitLoad } from '../load/contract/split-load.js'
import { GeneratorError } from '../load/generator-error.js'
import type { LoadEngine } from '../load/load-engine.js'
import { countErrors } from '../samples/count-errors.js'
import { mergeSamples } from '../samples/merge-samples.js'
import type { GeneratorShareUsage } from '../samples/sample-schemas.js'
import { type ConnectedAgent, describeAgent } from './start-coordinator.js'

/**
 * How far ahead of now a step's common start is set: time for the task to cross the network and for every
 * agent's threads to get it, load their engine and open their first connections.
 */
const startMarginMs = 250
/** The first step's margin: an agent's threads beyond its first may still have to start (166–226 ms here). */
const firstStartMarginMs = 1000
/** After a step's end, how long an agent may take to send its sample before it counts as lost. */
const replyGraceMs = 30_000

/** The engine of a run with --agents: close() is the coordinator's (it ends the agents). */
export interface AgentEngine extends LoadEngine {
  /** Whether an agent was lost: the engine can run no more steps. */
  readonly lost: boolean
}

/**
 * The engine of a run from several machines: each step split over the agents by share index (splitLoad(load,
 * agents); each agent splits its share again over `load.generators` threads of its own, so threads per agent =
 * generators), sent to each with one common start time (the coordinator's clock + that agent's offset), their
 * samples merged exactly on that time, every agent thread a generator of its own ("agent b thread 2", so the
 * saturation verdict names the busiest), and each agent's requests, CPU and actual start recorded with the step's
 * start skew. Side loads (slow clients, an idle crowd) stay on the coordinator's own engine (`local`). An agent
 * lost mid-step (its socket closed, or no reply within 30 s of the step's end) fails the step with a
 * GeneratorError naming it that ends the run: nothing is retried.
 */
export function createAgentEngine(agents: readonly ConnectedAgent[], local: LoadEngine): AgentEngine {
  let step = 0
  let lostAgent: string | undefined
  const engine: AgentEngine = {
    get lost() {
      return lostAgent !== undefined
    },
    startSide: (target, side) => local.startSide(target, side),
    async run(target, load, signal, onProgress) {
      if (lostAgent) throw new GeneratorError(`${lostAgent} was lost earlier in the run`, true)
      const stranded = loopbackTargetFromAfar(target, agents)
      if (stranded)
        throw new BenchError(
          'input',
          stranded,
          "load a target the agents can reach: a url: stack at the service's address, or a stack that listens on an address of this machine's network; or run the agents on this machine",
        )
      step++
      const id = step
      const shares = splitLoad(load, agents.length)
      const used = agents.slice(0, shares.length)
      const margin = id === 1 ? firstStartMarginMs : startMarginMs
      const startAt = performance.timeOrigin + performance.now() + margin
      const started = performance.now()
      const latest: (LoadProgress | undefined)[] = used.map(() => undefined)
      let lastProgress = Number.NEGATIVE_INFINITY
      const stopAll = () => {
        for (const agent of used) agent.socket.send({ type: 'stop', step: id } satisfies ToAgent)
      }
      signal.addEventListener('abort', stopAll, { once: true })
      // a WebSocket step ramps its connections up before it holds them for its duration
      const rampMs = load.loop === 'websocket' ? (load.connections / load.websocket.ramp) * 1000 : 0
      const deadlineMs = margin + rampMs + load.durationMs + load.timeoutMs + replyGraceMs
      const running = used.map(
        (agent, i) =>
          new Promise<AgentSample>((resolve, reject) => {
            const name = describeAgent(agent)
            let settled = false
            const finish = (error?: GeneratorError, sample?: AgentSample) => {
              if (settled) return
              settled = true
              clearTimeout(timer)
              unsubscribe()
              if (error) {
                stopAll() // the others end now: the step has failed
                reject(error)
              } else resolve(sample as AgentSample)
            }
            const lose = (why: string) => {
              if (settled) return
              lostAgent ??= name
              finish(new GeneratorError(`${name} was lost mid-step: ${why}`, true))
            }
            const timer = setTimeout(
              () => lose(`no reply ${Math.round(deadlineMs / 1000)} s after the step was sent`),
              deadlineMs,
            )
            const unsubscribe = agent.socket.onMessage((data) => {
              let message: ReturnType<typeof fromAgentSchema.parse>
              try {
                message = parseMessage(fromAgentSchema, data, name)
              } catch (error) {
                return finish(new GeneratorError((error as Error).message))
              }
              if ('step' in message && message.step !== undefined && message.step !== id) return // an old step's
              if (message.type === 'progress') {
                latest[i] = message.progress
                const now = performance.now()
                if (!onProgress || now - lastProgress < 250) return
                lastProgress = now
                const known = latest.filter((p): p is LoadProgress => p !== undefined)
                onProgress({
                  elapsedMs: Math.max(...known.map((p) => p.elapsedMs)),
                  successes: known.reduce((sum, p) => sum + p.successes, 0),
                  errors: known.reduce((sum, p) => sum + p.errors, 0),
                  p99Ms: Math.max(...known.map((p) => p.p99Ms)),
                })
              } else if (message.type === 'sample') finish(undefined, message)
              else if (message.type === 'error')
                finish(new GeneratorError(`${name} failed: ${message.message}`))
              else finish(new GeneratorError(`${name} sent ${message.type} where its sample was due`))
            })
            void agent.socket.closed.then(({ code, reason }) =>
              lose(`its connection closed (code ${code}${reason ? `: ${reason}` : ''})`),
            )
            const share = shares[i] as (typeof shares)[number]
            agent.socket.send({
              type: 'task',
              step: id,
              task: {
                type: 'task',
                target: targetOf(target),
                load: share.load,
                share: share.share,
                seed: share.seed,
                startAt: startAt + agent.clockOffsetMs,
                progress: onProgress !== undefined,
              },
            } satisfies ToAgent)
          }),
      )
      if (signal.aborted) stopAll()
      try {
        const settled = await Promise.allSettled(running)
        const failed = settled.find((s) => s.status === 'rejected')
        if (failed) throw failed.reason
        const replies = settled.map((s) => (s as PromiseFulfilledResult<AgentSample>).value)
        const wallMs = performance.now() - started
        const generators: GeneratorShareUsage[] = replies.flatMap((r, i) =>
          r.threads.map((t, k) => ({
            name: `agent ${(used[i] as ConnectedAgent).name} thread ${k + 1}`,
            cpuPercent: (t.usage.cpuUs / 1000 / t.usage.wallMs) * 100,
            busy: Math.min(1, t.usage.busyMs / t.usage.wallMs),
          })),
        )
        const cpuUs = (r: AgentSample) => r.threads.reduce((sum, t) => sum + t.usage.cpuUs, 0)
        // each agent's actual start on the coordinator's clock, ms after the common start
        const starts = replies.map(
          (r, i) => r.startedAt - (used[i] as ConnectedAgent).clockOffsetMs - startAt,
        )
        return {
          ...mergeSamples(
            replies.map((r) => r.sample),
            replies.map((r) => r.startOffsetMs),
          ),
          generator: {
            threads: generators.length,
            cpuPercent: (replies.reduce((sum, r) => sum + cpuUs(r), 0) / 1000 / wallMs) * 100,
            eventLoopUtilization: Math.max(...generators.map((g) => g.busy)),
            generators,
            agents: replies.map((r, i) => ({
              index: (used[i] as ConnectedAgent).index,
              name: (used[i] as ConnectedAgent).name,
              requests: r.sample.successes + countErrors(r.sample.errors),
              cpuPercent: (cpuUs(r) / 1000 / wallMs) * 100,
              startMs: starts[i] as number,
            })),
            startSkewMs: Math.max(...starts) - Math.min(...starts),
          },
        }
      } finally {
        signal.removeEventListener('abort', stopAll)
      }
    },
  }
  return engine
}

const isLoopback = (host: string) => /^(127\.|localhost$|\[?::1\]?$|::ffff:127\.)/.test(host)

/**
 * Why agents on other machines must not get this step: its target is this machine's loopback, which on an agent
 * is that agent's own machine (a stack bench launched listens on 127.0.0.1 unless told otherwise).
 */
function loopbackTargetFromAfar(target: LoadTarget, agents: readonly ConnectedAgent[]): string | undefined {
  const host = new URL(target.baseUrl).hostname
  const afar = agents.find((agent) => !isLoopback(agent.address))
  if (!isLoopback(host) || !afar) return undefined
  return `the target ${host} is this machine's loopback, but ${describeAgent(afar)} dials in from another machine: it would load its own loopback`
}

/** Only the target's own fields cross to an agent (a RunningStack carries much more). */
function targetOf(target: LoadTarget): LoadTarget {
  return {
    baseUrl: target.baseUrl,
    selfSigned: target.selfSigned ?? false,
    ...(target.h2cUrl ? { h2cUrl: target.h2cUrl } : {}),
  }
}
