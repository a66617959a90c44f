import { performance } from 'node:perf_hooks'
import { type ErrorClass, emptyErrorCounts } from '../samples/error-classes.js'
import { LatencyRecorder } from '../samples/latency-histogram.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { shareSchedule } from './arrival-schedule.js'
import { reconnectDelayMs } from './closed-loop.js'
import { connectionProtocols } from './connection-protocols.js'
import type { OpenLoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import { endpointCounters } from './endpoint-counters.js'
import type { ConnectionOwner, LoadConnection } from './load-connection.js'
import { type ProgressSink, reportProgress } from './load-progress.js'
import { Pacer } from './pacer.js'
import { sweepTimeouts } from './sweep-timeouts.js'
import type { ShareResult, ShareRun } from './thread-engine.js'

/**
 * Open loop on raw sockets. Every request has an intended send time from the schedule; due requests are
 * dispatched in batches — after every burst of socket reads, and, when nothing is in flight (so nothing can
 * arrive meanwhile), after the pacer's precise sleep until the next is due (pacer.ts). A separate waker thread
 * posting a message at the due time was tried and measured first: ~30 µs of CPU per wake-up on this VM, for
 * the same precision. The schedule's time zero is the step's common start (every share's), whenever this
 * thread got its task; its request k is the step's request index + of·k, which picks it in the request mix.
 * Each goes out on an idle keep-alive connection (most recently used first), on a new one (up to
 * maxConnections), or, when every connection is busy, waits for the first to free up (counted as blocked). Nothing is dropped or skipped: a late send goes
 * out as soon as it can, and its lateness is in the send-lag histogram and in corrected latency, which runs
 * from the intended time; uncorrected latency runs from the write.
 */
export function runOpenLoop(
  target: LoadTarget,
  load: OpenLoadSpec,
  run: ShareRun,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<ShareResult> {
  const connect = connectionProtocols[load.protocol](target, load.requests)
  const cycle = load.requests.length
  const times = shareSchedule(load, run.share, run.seed)
  const { index: shareIndex, of } = run.share
  const corrected = new LatencyRecorder()
  const uncorrected = new LatencyRecorder()
  const lag = new LatencyRecorder()
  const errors = emptyErrorCounts()
  const byEndpoint = endpointCounters(load)
  const timeline = new Array<number>(Math.ceil(load.durationMs / 1000)).fill(0)
  const live = new Set<LoadConnection>()
  /** A connection once per request it can take now (HTTP/2: per free stream), most recently freed last. */
  const idle: LoadConnection[] = []
  /** Schedule indices taken from the schedule but not yet written: waiting for a connection. */
  const waiting: number[] = []
  let waitingHead = 0
  let successes = 0
  let bytes = 0
  let blocked = 0
  let next = 0
  /** Taken from the schedule and not yet answered or failed. */
  let outstanding = 0
  let connecting = 0
  let retryAt = 0
  let retryArmed = false
  let lastEnd = 0
  let fastest = Number.POSITIVE_INFINITY
  /** How late the first send went (ms after its intended time): when this share really began. */
  let firstLagMs = 0
  let running = true
  /** Counts down the connections opened before the schedule starts. */
  let warmedUp = () => {}
  let finish = () => {}
  /** The schedule's time zero: the step's common start. */
  const start = run.startAt

  const fail = (reason: ErrorClass, n: number) => {
    errors[reason] += n
    outstanding -= n
  }
  const write = (c: LoadConnection, index: number) => c.send((shareIndex + of * index) % cycle, index)
  /** A free connection takes the oldest waiting request, or goes idle. */
  const release = (c: LoadConnection) => {
    if (waitingHead < waiting.length) write(c, waiting[waitingHead++] as number)
    else idle.push(c)
    if (waitingHead > 4096 && waitingHead * 2 > waiting.length) {
      waiting.splice(0, waitingHead) // keep the queue's memory bounded by what is really waiting
      waitingHead = 0
    }
  }
  const openConnection = () => {
    const c = connect(live.size, owner, load.streams)
    live.add(c)
    connecting++
    c.open()
  }
  /** Opens one more connection when requests wait for one and the pool may grow (not right after a failure). */
  const replenish = () => {
    if (!running || waiting.length - waitingHead <= connecting || live.size >= load.maxConnections) return
    const now = performance.now()
    if (now >= retryAt) openConnection()
    else if (!retryArmed) {
      retryArmed = true
      setTimeout(
        () => {
          retryArmed = false
          replenish()
        },
        retryAt - now + 1,
      )
    }
  }
  const dispatch = (index: number, now: number) => {
    lag.record((now - (times[index] as number)) * 1000)
    if (index === 0) firstLagMs = now - (times[0] as number)
    outstanding++
    const c = idle.pop()
    if (c) return write(c, index)
    waiting.push(index)
    if (live.size >= load.maxConnections) blocked++
    else replenish()
  }
  const checkDone = () => {
    if (outstanding === 0 && (next >= times.length || !running)) finish()
  }
  const pump = () => {
    if (!running) return
    for (;;) {
      const now = performance.now() - start
      while (next < times.length && (times[next] as number) <= now) dispatch(next++, now)
      if (next >= times.length) return checkDone()
      // nothing in flight: a precise sleep; in flight: each answer runs pump again, the timer is the fallback
      if (!pacer.wait((times[next] as number) - now, outstanding === 0)) return
    }
  }
  const pacer = new Pacer(pump)
  const owner: ConnectionOwner = {
    connected(c) {
      connecting--
      if (!running) return
      for (let i = 0; i < c.capacity; i++) release(c)
      warmedUp()
    },
    response(c, status, size, request, sentAt, index) {
      outstanding--
      const end = performance.now()
      if (status >= 200 && status < 300) {
        successes++
        bytes += size
        const micros = (end - start - (times[index] as number)) * 1000
        corrected.record(micros)
        byEndpoint?.success(request, micros)
        uncorrected.record((end - sentAt) * 1000)
        lastEnd = Math.max(lastEnd, end - start)
        fastest = Math.min(fastest, end - sentAt)
        const second = Math.floor((end - start) / 1000)
        if (second < timeline.length) timeline[second] = (timeline[second] ?? 0) + 1
      } else {
        errors.status[status] = (errors.status[status] ?? 0) + 1
        byEndpoint?.status(request, status)
      }
      if (c.ready && running) release(c)
      pump() // also ends the step once the schedule is done and nothing is outstanding
    },
    failed(c, reason, request) {
      fail(reason, 1)
      byEndpoint?.failed(request, reason)
      if (c.ready && running) release(c)
      pump()
    },
    closed(c, reason) {
      live.delete(c)
      for (let at = idle.indexOf(c); at >= 0; at = idle.indexOf(c)) idle.splice(at, 1)
      let lost = 0
      const failed = reason === 'close' ? 'reset' : reason
      c.drainPending((request) => {
        lost++
        byEndpoint?.failed(request, failed)
      })
      if (reason === 'connect') {
        connecting--
        warmedUp()
        // nothing to connect to: the requests waiting for a connection fail now, and the next attempt waits
        for (let i = waitingHead; i < waiting.length; i++)
          byEndpoint?.failed((waiting[i] as number) % cycle, failed)
        lost += waiting.length - waitingHead
        waiting.length = 0
        waitingHead = 0
        retryAt = performance.now() + reconnectDelayMs
      }
      if (lost > 0) fail(failed, lost)
      replenish()
      checkDone()
    },
  }
  const sweeper = sweepTimeouts(live, load.timeoutMs)
  const stopProgress = reportProgress(progress, () => ({ successes, errors, latency: corrected }))

  return new Promise((resolve) => {
    const begin = () => {
      if (signal.aborted) return onAbort()
      if (times.length === 0) finish()
      else pump()
    }
    finish = () => {
      running = false
      finish = () => {}
      pacer.cancel()
      clearInterval(sweeper)
      stopProgress()
      signal.removeEventListener('abort', onAbort)
      for (const c of [...live]) c.close('close')
      // A stack that kept up finishes its last response one service time after the schedule ends; one that
      // fell behind drains a backlog first. Measuring the step until then, less the fastest service time,
      // makes achieved req/s fall short exactly when a backlog built up (nothing is ever dropped).
      const servedFor = lastEnd - (Number.isFinite(fastest) ? fastest : 0)
      const sample: TrialSample = {
        successes,
        bytes,
        durationMs: Math.max(load.durationMs, servedFor),
        errors,
        histogram: uncorrected.encode(),
        open: {
          targetRate: times.length / (load.durationMs / 1000),
          sent: next,
          blocked,
          correctedHistogram: corrected.encode(),
          sendLagHistogram: lag.encode(),
          timeline,
        },
        ...(byEndpoint ? { endpoints: byEndpoint.samples() } : {}),
      }
      resolve({ sample, startOffsetMs: 0, lateMs: firstLagMs, sleptMs: pacer.sleptMs })
    }
    const onAbort = () => {
      running = false
      outstanding = 0
      finish()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    // Like wrk2, connections are opened before the schedule starts (here about one per 1,000 req/s): opening
    // them on demand at the first due requests would measure a burst of connects, not the stack.
    const warm = Math.min(load.maxConnections, Math.max(2, Math.ceil(load.rate.from / 1000)))
    let pendingWarm = warm
    warmedUp = () => {
      if (--pendingWarm === 0) begin()
    }
    for (let i = 0; i < warm; i++) openConnection()
  })
}
