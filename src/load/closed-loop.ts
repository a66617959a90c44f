import { performance } from 'node:perf_hooks'
import { emptyErrorCounts } from '../samples/error-classes.js'
import { LatencyRecorder } from '../samples/latency-histogram.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { connectionProtocols } from './connection-protocols.js'
import type { ClosedLoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import type { Share } from './contract/share.js'
import { endpointCounters } from './endpoint-counters.js'
import type { ConnectionOwner } from './load-connection.js'
import { type ProgressSink, reportProgress } from './load-progress.js'
import { sweepTimeouts } from './sweep-timeouts.js'
import type { ShareResult, ShareRun } from './thread-engine.js'
import { waitUntil } from './wait-until.js'

/** After a failed connect, wait this long before the next attempt: a dead server is not hammered in a spin. */
export const reconnectDelayMs = 10

/**
 * Closed loop on raw sockets: N connections, each sending its next request (or `pipelining` of them, or `streams`
 * of them on HTTP/2) as soon as
 * an answer arrives, like wrk. A connection the server closes (Connection: close, keep-alive limits) is reopened
 * and the request's clock starts once it is established; `churn` closes it every N answers. Latency of 2xx
 * answers from the write, in µs. It starts at the step's common start; its connection l is the step's connection
 * index + of·l (splitLoad), which picks where in the request mix it starts.
 */
export async function runClosedLoop(
  target: LoadTarget,
  load: ClosedLoadSpec,
  run: ShareRun,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<ShareResult> {
  await waitUntil(run.startAt, signal)
  const startOffsetMs = performance.now() - run.startAt
  return {
    sample: await closedLoop(target, load, run.share, signal, progress),
    startOffsetMs,
    lateMs: startOffsetMs,
    sleptMs: 0,
  }
}

function closedLoop(
  target: LoadTarget,
  load: ClosedLoadSpec,
  share: Share,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<TrialSample> {
  const connect = connectionProtocols[load.protocol](target, load.requests)
  const cycle = load.requests.length
  const latency = new LatencyRecorder()
  const errors = emptyErrorCounts()
  const byEndpoint = endpointCounters(load)
  const cursor = new Int32Array(load.connections)
  let successes = 0
  let bytes = 0
  let running = true
  const started = performance.now()

  const next = (id: number) => {
    const i = cursor[id] as number
    cursor[id] = (i + 1) % cycle
    return i
  }
  const owner: ConnectionOwner = {
    connected(c) {
      if (!running) return
      if (c.capacity === 1) c.send(next(c.id), 0)
      else c.sendMany(c.capacity, () => next(c.id), 0)
    },
    response(c, status, size, request, sentAt) {
      if (!running) return
      if (status >= 200 && status < 300) {
        successes++
        bytes += size
        const micros = (performance.now() - sentAt) * 1000
        latency.record(micros)
        byEndpoint?.success(request, micros)
      } else {
        errors.status[status] = (errors.status[status] ?? 0) + 1
        byEndpoint?.status(request, status)
      }
      if (!c.ready) return // the server said Connection: close
      if (load.churn !== undefined && c.answered >= load.churn) c.close('close')
      else c.send(next(c.id), 0)
    },
    failed(c, reason, request) {
      if (!running) return
      errors[reason]++
      byEndpoint?.failed(request, reason)
      if (c.ready) c.send(next(c.id), 0)
    },
    closed(c, reason) {
      let lost = 0
      const failed = running && reason !== 'close' && reason !== 'connect' ? reason : undefined
      c.drainPending((request) => {
        lost++
        if (failed) byEndpoint?.failed(request, failed)
      })
      if (!running) return
      // a clean close loses nothing that was answered; pipelined requests behind it are sent again
      if (reason === 'connect') errors.connect++
      else if (failed) errors[failed] += Math.max(1, lost)
      if (reason === 'connect') setTimeout(() => running && c.open(), reconnectDelayMs)
      else c.open()
    },
  }
  const connections = Array.from(
    { length: load.connections },
    (_, id) => connect(id, owner, load.pipelining * load.streams), // one of them is 1
  )
  connections.forEach((c, id) => {
    cursor[id] = (share.index + share.of * id) % cycle // the step's connection number: where it starts the mix
    c.open()
  })
  const sweeper = sweepTimeouts(connections, load.timeoutMs)
  const stopProgress = reportProgress(progress, () => ({ successes, errors, latency }))

  return new Promise((resolve) => {
    const stop = () => {
      if (!running) return
      running = false
      clearTimeout(timer)
      clearInterval(sweeper)
      stopProgress()
      signal.removeEventListener('abort', stop)
      const durationMs = performance.now() - started
      for (const c of connections) c.close('close')
      const endpoints = byEndpoint?.samples()
      resolve({
        successes,
        bytes,
        durationMs,
        errors,
        histogram: latency.encode(),
        ...(endpoints ? { endpoints } : {}),
      })
    }
    const timer = setTimeout(stop, load.durationMs)
    signal.addEventListener('abort', stop, { once: true })
    if (signal.aborted) stop()
  })
}
