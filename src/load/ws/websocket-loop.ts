import { performance } from 'node:perf_hooks'
import { countErrors } from '../../samples/count-errors.js'
import { emptyErrorCounts } from '../../samples/error-classes.js'
import { LatencyRecorder } from '../../samples/latency-histogram.js'
import type { TrialSample } from '../../samples/sample-schemas.js'
import type { WebSocketLoadSpec } from '../contract/load-spec.js'
import type { LoadTarget } from '../contract/load-target.js'
import { endpointOf } from '../endpoint-of.js'
import { type ProgressSink, reportProgress } from '../load-progress.js'
import { Pacer } from '../pacer.js'
import type { ShareResult, ShareRun } from '../thread-engine.js'
import { waitUntil } from '../wait-until.js'
import { type DropReason, WsConnection, type WsOwner } from './ws-connection.js'

/** How often the ramp opens the connections now due. */
const rampTickMs = 5

/**
 * A WebSocket step on one generator thread: its share of the connections upgraded at its share of the ramp,
 * then — once every one is established or refused — held for the step's duration, idle, ping-pong (each
 * connection sends its next message when the last one's echo arrives; round trip from the write), or at a
 * rate per connection: message j goes to connection j mod N at its intended time, the threads' schedules
 * interleaved by their share index, and its round trip runs from that time (corrected, as the open loop's latency) as
 * well as from the write. A connection lost while held is not reopened: the table shows how many stayed.
 * At the end every connection is closed with a close frame, so a server is left holding none.
 */
export async function runWebSocketLoop(
  target: LoadTarget,
  load: WebSocketLoadSpec,
  run: ShareRun,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<ShareResult> {
  await waitUntil(run.startAt, signal) // the ramp starts at the step's common start
  const lateMs = performance.now() - run.startAt
  return { ...(await websocketLoop(target, load, run, signal, progress)), lateMs }
}

function websocketLoop(
  target: LoadTarget,
  load: WebSocketLoadSpec,
  run: ShareRun,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<Omit<ShareResult, 'lateMs'>> {
  const { endpoint, hostHeader } = endpointOf(target)
  const spec = load.websocket
  const n = load.connections
  const rate = typeof spec.messages === 'number' ? spec.messages : undefined
  const latency = new LatencyRecorder()
  const corrected = new LatencyRecorder()
  const lag = new LatencyRecorder()
  const handshake = new LatencyRecorder()
  const errors = emptyErrorCounts()
  const refused = emptyErrorCounts()
  const timeline = new Array<number>(Math.ceil(load.durationMs / 1000)).fill(0)
  let established = 0
  let dropped = 0
  let tooLarge = 0
  let closedCleanly = 0
  let successes = 0
  let bytes = 0
  let sent = 0
  let holding = false
  let holdStart = 0
  let holdEnd = 0
  let running = true
  let next = 0
  const spacingMs = rate ? 1000 / (n * rate) : 0
  const phaseMs = (run.share.index / run.share.of) * spacingMs
  let onSettled = () => {}
  let onAllClosed = () => {}
  let closing = 0

  const settle = () => {
    if (established + countRefused() === n) onSettled()
  }
  const countRefused = () => countErrors(refused)
  const owner: WsOwner = {
    established(c, ms) {
      established++
      handshake.record(ms * 1000)
      if (holding && !rate) c.send(performance.now()) // upgraded late, in the hold: joins the ping-pong
      settle()
    },
    refused(_, reason) {
      if (typeof reason === 'number') refused.status[reason] = (refused.status[reason] ?? 0) + 1
      else refused[reason]++
      settle()
    },
    echoed(c, size) {
      const now = performance.now()
      const written = c.writtenAt[c.head] as number
      const intended = c.intendedAt[c.head] as number
      c.shift()
      if (holding) {
        successes++
        bytes += size
        latency.record((now - written) * 1000)
        if (rate) {
          corrected.record((now - intended) * 1000)
          const second = Math.floor((now - holdStart) / 1000)
          if (second < timeline.length) timeline[second] = (timeline[second] ?? 0) + 1
        }
      }
      if (!running) return
      if (rate) pump()
      else c.send(performance.now())
    },
    dropped(c, reason: DropReason) {
      dropped++
      if (reason === 'tooLarge') tooLarge++
      const lost = c.inFlight
      if (!holding || lost === 0) return
      if (reason === 'timeout') errors.timeout += lost
      else if (reason === 'reset' || reason === 'closed') errors.reset += lost
      else errors.other += lost
    },
    closed(_, clean) {
      if (clean) closedCleanly++
      if (--closing === 0) onAllClosed()
    },
  }
  const settings = {
    endpoint,
    path: spec.path,
    hostHeader,
    messageBytes: spec.messageBytes,
    maxMessageBytes: spec.maxMessageBytes,
    timeoutMs: load.timeoutMs,
  }
  const connections = Array.from({ length: n }, (_, id) => new WsConnection(id, settings, owner))

  /** Rate mode: every message now due goes out; then a timer (or a precise sleep) for the next. */
  function pump() {
    if (!running || !rate) return
    let now = performance.now()
    for (;;) {
      const due = holdStart + phaseMs + next * spacingMs
      if (due > now) {
        if (!pacer.wait(due - now, !connections.some((c) => c.inFlight > 0))) return
        now = performance.now()
        continue
      }
      if (due >= holdEnd) return
      const c = connections[next % n] as WsConnection
      next++
      if (c.state !== 'open') continue // lost earlier: counted as dropped, its share not sent
      lag.record((now - due) * 1000)
      c.send(due)
      sent++
    }
  }

  const pacer = new Pacer(pump)
  const sweeper = setInterval(
    () => {
      const now = performance.now()
      for (const c of connections) if (now - c.oldestWrittenAt > load.timeoutMs) c.drop('timeout')
    },
    Math.min(250, load.timeoutMs / 4),
  )
  const stopProgress = reportProgress(progress, () => ({
    successes,
    errors,
    latency: rate ? corrected : latency,
  }))

  return new Promise((resolve) => {
    let holdTimer: NodeJS.Timeout | undefined
    const rampStart = performance.now()
    let opened = 0
    const rampTimer = setInterval(() => {
      const due = Math.min(n, Math.floor(((performance.now() - rampStart) * spec.ramp) / 1000) + 1)
      while (opened < due) (connections[opened++] as WsConnection).open()
      if (opened === n) clearInterval(rampTimer)
    }, rampTickMs)
    // the ramp's own time, and one timeout for the last upgrades: then the hold starts with what is established
    const rampLimit = setTimeout(() => onSettled(), (n / spec.ramp) * 1000 + load.timeoutMs + 100)
    const hold = () => {
      if (holding || !running) return
      clearTimeout(rampLimit)
      holding = true
      holdStart = performance.now()
      holdEnd = holdStart + load.durationMs
      holdTimer = setTimeout(stop, load.durationMs)
      if (rate) pump()
      else if (spec.messages === 'pingpong') for (const c of connections) c.send(holdStart)
    }
    onSettled = hold
    const stop = () => {
      if (!running) return
      running = false
      const ended = performance.now()
      clearInterval(rampTimer)
      clearTimeout(rampLimit)
      clearTimeout(holdTimer)
      pacer.cancel()
      clearInterval(sweeper)
      stopProgress()
      signal.removeEventListener('abort', stop)
      const finish = () => {
        onAllClosed = () => {}
        const sample: TrialSample = {
          successes,
          bytes,
          durationMs: holding ? Math.max(1, ended - holdStart) : 1,
          errors,
          histogram: latency.encode(),
          ...(rate
            ? {
                open: {
                  targetRate: n * rate,
                  sent,
                  blocked: 0,
                  correctedHistogram: corrected.encode(),
                  sendLagHistogram: lag.encode(),
                  timeline,
                },
              }
            : {}),
          websocket: {
            connections: n,
            established,
            refused,
            dropped,
            tooLarge,
            handshakeHistogram: handshake.encode(),
            closedCleanly,
          },
        }
        resolve({ sample, startOffsetMs: holding ? holdStart - run.startAt : 0, sleptMs: pacer.sleptMs })
      }
      closing = connections.filter((c) => c.state === 'open').length
      onAllClosed = finish
      for (const c of connections) c.close()
      if (closing === 0) finish()
    }
    signal.addEventListener('abort', stop, { once: true })
    if (signal.aborted) stop()
  })
}
