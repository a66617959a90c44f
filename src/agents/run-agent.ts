import { hostname } from 'node:os'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { BenchError } from '../bench-error.js'
import { type AgentTask, type FromAgent, toAgentSchema } from '../load/contract/agent-messages.js'
import type { LoadTarget } from '../load/contract/load-target.js'
import { parseMessage } from '../load/contract/parse-message.js'
import { GeneratorPool } from '../load/generator-pool.js'
import { createThreadedEngine } from '../load/threaded-engine.js'
import { isLoadableHost } from '../profile/loadable-host.js'
import { agentClock } from './agent-clock.js'
import { type MessageInbox, messageInbox } from './message-inbox.js'
import { newNonce, proofMatches, proveToken } from './token-proof.js'
import { dialSocket, type MessageSocket } from './ws-socket.js'

export interface AgentOptions {
  host: string
  port: number
  token: string
  index?: number | undefined
  name?: string | undefined
  /** Load targets off loopback and 198.18.0.0/15 too (the agent's own safety rule, whoever sends the task). */
  allowRemote: boolean
  /** How long to keep dialing a coordinator that is not up yet. */
  connectTimeoutMs: number
  version: string
  cpus: number
  log: (line: string) => void
  /** Ctrl-C, SIGTERM: the step running stops, the socket closes. */
  signal?: AbortSignal | undefined
}

/** Progress goes to the coordinator at most this often: at most 4 messages a second. */
const progressEveryMs = 250
/** How long each step of the handshake may take. */
const handshakeMs = 10_000

/** Why the agent will not load a target: its host is off loopback and the test networks, without --allow-remote. */
function refusal(target: LoadTarget, allowRemote: boolean, name: string): string | undefined {
  if (allowRemote) return undefined
  for (const url of [target.baseUrl, target.h2cUrl]) {
    if (url === undefined) continue
    const host = new URL(url).hostname
    if (!isLoadableHost(host))
      return `agent ${name} refuses to load ${host}: it is off loopback and 198.18.0.0/15, and the agent was not started with --allow-remote (start it with --allow-remote to load that host)`
  }
  return undefined
}

async function dial(o: AgentOptions): Promise<MessageSocket | undefined> {
  const deadline = performance.now() + o.connectTimeoutMs
  let wait = 250
  let last: Error = new Error('not dialed')
  // bounded: by the deadline, and by the count (each attempt waits at least 250 ms)
  for (let attempt = 0; attempt < 10_000; attempt++) {
    try {
      return await dialSocket(o.host, o.port, Math.max(1000, deadline - performance.now()))
    } catch (error) {
      last = error as Error
    }
    if (performance.now() + wait > deadline) break
    await sleep(wait, undefined, o.signal ? { signal: o.signal } : {}).catch(() => undefined)
    if (o.signal?.aborted) return undefined
    wait = Math.min(2000, wait * 2)
  }
  throw new BenchError(
    'environment',
    `the coordinator at ${o.host}:${o.port} did not answer within ${Math.round(o.connectTimeoutMs / 1000)} s (${(last as NodeJS.ErrnoException).code ?? last.message})`,
    'start the coordinator first (bench run <profile> --agents N --listen HOST:PORT), check the address, or raise --connect-timeout',
  )
}

/** Authenticates both ways and joins the run: resolves with the index the coordinator gave. */
async function join(
  socket: MessageSocket,
  inbox: MessageInbox,
  o: AgentOptions,
  name: string,
): Promise<{ index: number; of: number }> {
  const from = `the coordinator at ${o.host}:${o.port}`
  const nonce = newNonce()
  socket.send({
    type: 'hello',
    name,
    ...(o.index !== undefined ? { index: o.index } : {}),
    version: o.version,
    cpus: o.cpus,
    nonce,
  } satisfies FromAgent)
  const refused = (reason: string) =>
    new BenchError(
      'input',
      `${from} refused agent ${name}: ${reason}`,
      'see the reason; the coordinator logs it too',
    )
  const challenge = await inbox.next(toAgentSchema, from, handshakeMs)
  if (challenge.type === 'refused') throw refused(challenge.reason)
  if (challenge.type !== 'challenge')
    throw new Error(`${from} sent ${challenge.type} where a challenge was due`)
  if (!proofMatches(proveToken(o.token, 'coordinator', nonce), challenge.proof)) {
    // said before closing, so the coordinator logs the refusal too (it cannot tell whose token is wrong)
    socket.send({ type: 'error', message: 'wrong token' } satisfies FromAgent)
    socket.close(4001, 'wrong token')
    throw new BenchError(
      'input',
      `${from} does not know the agent token: wrong token on one side (or not bench's coordinator)`,
      'give the coordinator and every agent the same token (--token-file or BENCH_AGENT_TOKEN)',
    )
  }
  socket.send({ type: 'response', proof: proveToken(o.token, 'agent', challenge.nonce) } satisfies FromAgent)
  const welcome = await inbox.next(toAgentSchema, from, handshakeMs)
  if (welcome.type === 'refused') throw refused(welcome.reason)
  if (welcome.type !== 'welcome') throw new Error(`${from} sent ${welcome.type} where a welcome was due`)
  return welcome
}

/**
 * `bench agent`: dials the coordinator (retrying until connectTimeoutMs: agents may start first), authenticates
 * both ways, answers its clock pings, and runs each step's task on generator threads of its own until the
 * coordinator says the run is done (resolves) or goes away (rejects: environment). A refusal, or a coordinator
 * that does not know the token, rejects as input. Its threads and socket are closed on every path.
 */
export async function runAgent(o: AgentOptions): Promise<'done' | 'interrupted'> {
  const name = o.name ?? (o.index !== undefined ? `${hostname()}-${o.index}` : hostname())
  const clock = agentClock()
  const socket = await dial(o)
  if (!socket) return 'interrupted'
  const inbox = messageInbox(socket)
  const pool = new GeneratorPool()
  const engine = createThreadedEngine(pool)
  let done = false
  let interrupted = false
  const interrupt = () => {
    interrupted = true
    socket.close(1000, 'agent interrupted')
  }
  o.signal?.addEventListener('abort', interrupt, { once: true })
  let running: { step: number; controller: AbortController } | undefined
  const send = (message: FromAgent) => socket.send(message)
  try {
    // a first thread warm before joining (the first step starts 1 s ahead; a cold thread needs ~200 ms); not
    // while the clock is measured
    await pool.take(1).catch(() => undefined)
    const { index, of } = await join(socket, inbox, o, name).catch((error: unknown) => {
      if (error instanceof BenchError) throw error
      throw new BenchError(
        'environment',
        `agent ${name} could not join the coordinator at ${o.host}:${o.port}: ${(error as Error).message}`,
        "check that HOST:PORT is bench's coordinator (bench run … --agents N) and that it runs the same version",
      )
    })
    o.log(`agent ${name}: joined the coordinator at ${o.host}:${o.port} as index ${index} of ${of}`)
    const runTask = async ({ step, task }: AgentTask) => {
      const refused = refusal(task.target, o.allowRemote, name)
      if (refused) {
        o.log(refused)
        return send({ type: 'error', step, message: refused })
      }
      if (running)
        return send({ type: 'error', step, message: `agent ${name} is still running step ${running.step}` })
      const controller = new AbortController()
      running = { step, controller }
      let lastProgress = Number.NEGATIVE_INFINITY
      try {
        const result = await engine.runWithin(
          task.target,
          task.load,
          controller.signal,
          { within: task.share, startAt: task.startAt - clock.shiftMs },
          task.progress
            ? (progress) => {
                const now = performance.now()
                if (now - lastProgress < progressEveryMs) return
                lastProgress = now
                send({ type: 'progress', step, progress })
              }
            : undefined,
        )
        send({
          type: 'sample',
          step,
          sample: result.sample,
          startOffsetMs: result.startOffsetMs,
          // when its last thread began to load, on this agent's clock (its threads' own measure: no spin here
          // competing with them for the cores at the start)
          startedAt: task.startAt + result.lateMs,
          threads: result.threads,
        })
      } catch (error) {
        send({ type: 'error', step, message: (error as Error).message })
      } finally {
        running = undefined
      }
    }
    await new Promise<void>((resolve, reject) => {
      inbox.listen((data) => {
        let message: ReturnType<typeof toAgentSchema.parse>
        try {
          message = parseMessage(toAgentSchema, data, 'the coordinator')
        } catch (error) {
          send({ type: 'error', message: (error as Error).message })
          return
        }
        if (message.type === 'ping') send({ type: 'pong', id: message.id, at: clock.now() })
        else if (message.type === 'task') void runTask(message)
        else if (message.type === 'stop' && running?.step === message.step) running.controller.abort()
        else if (message.type === 'done') {
          done = true
          resolve()
        }
      })
      void socket.closed.then(({ code, reason }) => {
        running?.controller.abort()
        if (interrupted) resolve()
        else if (!done)
          reject(
            new BenchError(
              'environment',
              `the coordinator at ${o.host}:${o.port} went away before the run was done (code ${code}${reason ? `: ${reason}` : ''})`,
              "see the coordinator's output: it stopped, was interrupted or lost the network",
            ),
          )
      })
    })
    o.log(`agent ${name}: ${interrupted ? 'interrupted' : 'the run is done'}`)
    return interrupted ? 'interrupted' : 'done'
  } finally {
    o.signal?.removeEventListener('abort', interrupt)
    running?.controller.abort()
    socket.close(1000, done ? 'done' : 'agent ending')
    await engine.close()
  }
}
