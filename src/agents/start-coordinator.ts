import { performance } from 'node:perf_hooks'
import { BenchError } from '../bench-error.js'
import { fromAgentSchema, type ToAgent } from '../load/contract/agent-messages.js'
import { type ClockExchange, estimateClockOffset } from '../load/contract/estimate-clock-offset.js'
import { messageInbox } from './message-inbox.js'
import { newNonce, proofMatches, proveToken } from './token-proof.js'
import { listenSockets, type MessageSocket } from './ws-socket.js'

/** An agent that joined: authenticated, given its index, its clock offset measured. */
export interface ConnectedAgent {
  name: string
  index: number
  /** Its IP address, as the coordinator's socket sees it. */
  address: string
  cpus: number
  /** Its clock minus the coordinator's, ms (the exchange with the shortest round trip). */
  clockOffsetMs: number
  /** That exchange's round trip, ms: the offset is known to within half of it. */
  roundTripMs: number
  socket: MessageSocket
}

export interface CoordinatorOptions {
  host: string
  port: number
  agents: number
  token: string
  timeoutMs: number
  version: string
  log: (line: string) => void
  /** Ends the wait early (Ctrl-C). */
  signal?: AbortSignal
}

/** The coordinator's side of a run: its agents, ready; close() tells them the run is done and closes it all. */
export interface Coordinator {
  agents: ConnectedAgent[]
  port: number
  close(): Promise<void>
}

/** Ping/pong exchanges per agent: the one with the shortest round trip sets its clock offset. */
const clockExchanges = 8
/** How long each step of an agent's handshake may take. */
const handshakeMs = 10_000

/** "agent b (index 1, 198.18.0.3)": how messages name an agent. */
export function describeAgent(agent: Pick<ConnectedAgent, 'name' | 'index' | 'address'>): string {
  return `agent ${agent.name} (index ${agent.index}, ${agent.address})`
}

/**
 * Listens on host:port for `bench agent`s and waits until `agents` of them have joined (printing "2 of 4 agents
 * ready" as that changes), up to timeoutMs: then a BenchError naming the indexes not seen, with everything closed.
 * Each agent authenticates both ways with the token (a wrong one is refused and logged, and gets no task), must
 * run the same bench version, and takes an index no other agent has; its clock offset is measured before it counts
 * as ready.
 */
export async function startCoordinator(o: CoordinatorOptions): Promise<Coordinator> {
  const ready = new Map<number, ConnectedAgent>()
  /** The agents of `ready` whose clock is measured: the run starts when all N are. */
  const measured = new Set<ConnectedAgent>()
  const joining = new Set<MessageSocket>()
  let full: () => void = () => {}
  const allReady = new Promise<void>((resolve) => {
    full = resolve
  })
  let accepting = true

  const refuse = (socket: MessageSocket, who: string, reason: string) => {
    o.log(`${who} refused: ${reason}`)
    socket.send({ type: 'refused', reason } satisfies ToAgent)
    socket.close(4001, 'refused')
  }

  const admit = async (socket: MessageSocket) => {
    const from = `agent at ${socket.address}`
    const inbox = messageInbox(socket)
    const hello = await inbox.next(fromAgentSchema, from, handshakeMs)
    if (hello.type !== 'hello') return refuse(socket, from, `it sent ${hello.type} where hello was due`)
    const who = `agent ${hello.name} at ${socket.address}`
    const nonce = newNonce()
    socket.send({
      type: 'challenge',
      proof: proveToken(o.token, 'coordinator', hello.nonce),
      nonce,
    } satisfies ToAgent)
    const response = await inbox.next(fromAgentSchema, who, handshakeMs)
    // an agent that found the coordinator's proof wrong says so (and has closed)
    if (response.type === 'error') return refuse(socket, `agent at ${socket.address}`, response.message)
    if (response.type !== 'response')
      return refuse(socket, who, `it sent ${response.type} where its proof was due`)
    if (!proofMatches(proveToken(o.token, 'agent', nonce), response.proof))
      return refuse(socket, `agent at ${socket.address}`, 'wrong token')
    if (hello.version !== o.version)
      return refuse(
        socket,
        who,
        `it runs bench ${hello.version}, the coordinator bench ${o.version}: run the same version on both`,
      )
    if (!accepting) return refuse(socket, who, `the run already has its ${o.agents} agents`)
    let index = hello.index
    if (index !== undefined && index >= o.agents)
      return refuse(
        socket,
        who,
        `index ${index} is outside 0–${o.agents - 1} (the run has ${o.agents} agents)`,
      )
    const taken = index !== undefined ? ready.get(index) : undefined
    if (taken) return refuse(socket, who, `index ${index} is taken by ${describeAgent(taken)}`)
    if (index === undefined) {
      index = 0
      while (ready.has(index)) index++
    }
    // hold the index while the clock is measured
    const agent: ConnectedAgent = {
      name: hello.name,
      index,
      address: socket.address,
      cpus: hello.cpus,
      clockOffsetMs: 0,
      roundTripMs: 0,
      socket,
    }
    ready.set(index, agent)
    try {
      socket.send({ type: 'welcome', index, of: o.agents } satisfies ToAgent)
      const exchanges: ClockExchange[] = []
      for (let id = 0; id < clockExchanges; id++) {
        const sentAt = performance.timeOrigin + performance.now()
        socket.send({ type: 'ping', id } satisfies ToAgent)
        const pong = await inbox.next(fromAgentSchema, describeAgent(agent), handshakeMs)
        const receivedAt = performance.timeOrigin + performance.now()
        if (pong.type !== 'pong' || pong.id !== id)
          throw new Error(`it sent ${pong.type} where pong ${id} was due`)
        exchanges.push({ sentAt, receivedAt, agentAt: pong.at })
      }
      const clock = estimateClockOffset(exchanges)
      agent.clockOffsetMs = clock.offsetMs
      agent.roundTripMs = clock.roundTripMs
    } catch (error) {
      ready.delete(index)
      throw error
    }
    inbox.listen(() => {}) // from now on the engine listens to each step's messages itself
    // ready = its clock measured: an agent still answering pings holds its index but is not counted yet (the
    // run must not start while one is mid-measurement: its first task would meet the pings' inbox)
    measured.add(agent)
    o.log(`${measured.size} of ${o.agents} agents ready (${describeAgent(agent)} joined)`)
    void socket.closed.then(() => {
      if (accepting && ready.get(agent.index) === agent) {
        ready.delete(agent.index)
        measured.delete(agent)
        o.log(`${describeAgent(agent)} left; ${measured.size} of ${o.agents} agents ready`)
      }
    })
    if (measured.size === o.agents) full()
  }

  let server: Awaited<ReturnType<typeof listenSockets>>
  try {
    server = await listenSockets(o.host, o.port, (socket) => {
      joining.add(socket)
      admit(socket)
        .catch((error: unknown) => {
          o.log(`agent at ${socket.address} dropped: ${(error as Error).message}`)
          socket.terminate()
        })
        .finally(() => joining.delete(socket))
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BenchError(
      'environment',
      `--listen ${o.host}:${o.port}: ${code === 'EADDRINUSE' ? 'the port is taken' : code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address' : (error as Error).message}`,
      code === 'EADDRINUSE'
        ? 'pick a free port, e.g. --listen 127.0.0.1:7071, or stop what holds it'
        : 'give an address of this machine, e.g. --listen 0.0.0.0:7070 (every interface) or 127.0.0.1:7070',
    )
  }
  const closeAll = async (reason: ToAgent | undefined) => {
    accepting = false
    // each agent told (done, or nothing: it exits 3), then a closing handshake, bounded: 2 s, then cut
    await Promise.all(
      [...ready.values()].map(async (agent) => {
        if (reason) agent.socket.send(reason)
        agent.socket.close(1000, 'run over')
        let timer: NodeJS.Timeout | undefined
        await Promise.race([
          agent.socket.closed,
          new Promise((resolve) => {
            timer = setTimeout(resolve, 2000)
          }),
        ])
        clearTimeout(timer)
      }),
    )
    for (const socket of joining) socket.terminate()
    await server.close()
  }
  o.log(
    `waiting for ${o.agents} agent${o.agents === 1 ? '' : 's'} on ${o.host}:${server.port} (up to ${Math.round(o.timeoutMs / 1000)} s): bench agent --coordinator HOST:${server.port}`,
  )
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), o.timeoutMs)
  })
  const aborted = new Promise<'aborted'>((resolve) => {
    if (o.signal?.aborted) resolve('aborted')
    o.signal?.addEventListener('abort', () => resolve('aborted'), { once: true })
  })
  const outcome = await Promise.race([allReady.then(() => 'ready' as const), timedOut, aborted])
  clearTimeout(timer)
  if (outcome !== 'ready') {
    const missing = Array.from({ length: o.agents }, (_, i) => i).filter((i) => {
      const agent = ready.get(i)
      return agent === undefined || !measured.has(agent)
    })
    await closeAll(undefined)
    if (outcome === 'aborted')
      throw new BenchError('environment', 'interrupted while waiting for the agents', 'run again')
    throw new BenchError(
      'environment',
      `${o.agents - missing.length} of ${o.agents} agents came within ${Math.round(o.timeoutMs / 1000)} s: index ${missing.join(', ')} never joined`,
      `start the missing agents (bench agent --coordinator HOST:${server.port} --index I, with the same token), check the coordinator's log for refused ones, or raise --agents-timeout`,
    )
  }
  accepting = false
  return {
    agents: [...ready.values()].sort((a, b) => a.index - b.index),
    port: server.port,
    close: () => closeAll({ type: 'done' }),
  }
}
