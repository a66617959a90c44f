import { Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest, Agent as TlsAgent } from 'node:https'
import { performance } from 'node:perf_hooks'
import type { OpenLoadSpec } from '../plan/build-plan.js'
import { LatencyRecorder } from '../stats/latency-histogram.js'
import { arrivalSchedule } from './arrival-schedule.js'
import { classifyError } from './classify-error.js'
import { emptyErrorCounts, type TrialSample } from './trial-sample.js'

/** Bytes of a response's status line and headers, as they came over the wire (give or take the reason text). */
function headerBytes(response: IncomingMessage): number {
  return 17 + response.rawHeaders.reduce((sum, part) => sum + part.length + 2, 0) + 2
}

/**
 * Open-loop load with node:http: each request has an intended send time from the schedule and is sent then,
 * whatever the server is doing — on an idle keep-alive connection, a new one (up to maxConnections), or, when
 * all are busy, as soon as one frees (counted as blocked). Latency is recorded from the intended time
 * (corrected for coordinated omission) and from the actual send (uncorrected). autocannon's rate modes are
 * not used: they send per-second bursts and "correct" with a 1 ms interval (DESIGN.md, defects 1–2).
 */
export function runOpenLoop(
  baseUrl: string,
  load: OpenLoadSpec,
  offset: number,
  signal: AbortSignal,
): Promise<TrialSample> {
  const url = new URL(baseUrl)
  const times = arrivalSchedule({ ...load, offset })
  const secure = url.protocol === 'https:'
  const agentOptions = { keepAlive: true, maxSockets: load.maxConnections, scheduling: 'fifo' as const }
  const agent = secure
    ? new TlsAgent({ ...agentOptions, rejectUnauthorized: false })
    : new Agent(agentOptions)
  const request = secure ? httpsRequest : httpRequest
  const corrected = new LatencyRecorder()
  const uncorrected = new LatencyRecorder()
  const lag = new LatencyRecorder()
  const errors = emptyErrorCounts()
  const timeline: number[] = Array.from({ length: Math.ceil(load.durationMs / 1000) }, () => 0)
  let successes = 0
  let bytes = 0
  let blocked = 0
  let outstanding = 0
  let next = 0
  let lastEnd = 0
  let fastest = Number.POSITIVE_INFINITY
  const live = new Set<ReturnType<typeof httpRequest>>()
  const start = performance.now()

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy()
      signal.removeEventListener('abort', onAbort)
      // A stack that kept up finishes its last response one service time after the schedule ends; one that
      // fell behind drains a backlog first. Measuring the step until then, less the fastest service time,
      // makes achieved req/s fall short exactly when a backlog built up (nothing is ever dropped).
      const servedFor = lastEnd - (Number.isFinite(fastest) ? fastest : 0)
      resolve({
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
      })
    }
    const settle = () => {
      outstanding--
      if (outstanding === 0 && (next >= times.length || signal.aborted)) finish()
    }
    const onAbort = () => {
      if (outstanding === 0) finish()
      for (const req of live) req.destroy() // each errors out, then settles
    }
    signal.addEventListener('abort', onAbort, { once: true })

    const send = (index: number) => {
      const intended = times[index] as number
      const spec = load.requests[index % load.requests.length] as OpenLoadSpec['requests'][number]
      if (outstanding >= load.maxConnections) blocked++
      outstanding++
      lag.record((performance.now() - start - intended) * 1000)
      let sentAt = performance.now()
      let settled = false
      const done = (record: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        live.delete(req)
        if (!signal.aborted) record()
        settle()
      }
      const req = request(
        {
          agent,
          host: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port,
          path: spec.path,
          method: spec.method,
          headers: spec.headers,
        },
        (response) => {
          let size = headerBytes(response)
          response.on('data', (chunk: Buffer) => {
            size += chunk.length
          })
          response.once('end', () =>
            done(() => {
              const status = response.statusCode ?? 0
              if (status < 200 || status >= 300) {
                errors.status[status] = (errors.status[status] ?? 0) + 1
                return
              }
              const end = performance.now()
              lastEnd = Math.max(lastEnd, end - start)
              fastest = Math.min(fastest, end - sentAt)
              successes++
              bytes += size
              corrected.record((end - start - intended) * 1000)
              uncorrected.record((end - sentAt) * 1000)
              const second = Math.floor((end - start) / 1000)
              if (second < timeline.length) timeline[second] = (timeline[second] ?? 0) + 1
            }),
          )
          response.once('error', (error) => done(() => errors[classifyError(error)]++))
        },
      )
      live.add(req)
      // the clock of the uncorrected latency starts when the request goes out on a connected socket
      req.once('socket', (socket) => {
        if (socket.connecting)
          socket.once(secure ? 'secureConnect' : 'connect', () => (sentAt = performance.now()))
        else sentAt = performance.now()
      })
      req.once('error', (error) => done(() => errors[classifyError(error)]++))
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
        load.timeoutMs,
      )
      req.end(spec.body)
    }

    // Timers, not a busy loop: requests due within the same ~1 ms tick go out together, and their lateness is
    // in the send-lag histogram (and in corrected latency, which runs from the intended time).
    const tick = () => {
      if (signal.aborted) return
      const now = performance.now() - start
      while (next < times.length && (times[next] as number) <= now) send(next++)
      if (next < times.length)
        setTimeout(tick, Math.max(0, (times[next] as number) - (performance.now() - start) - 0.5))
      else if (outstanding === 0) finish()
    }
    if (times.length === 0) finish()
    else tick()
  })
}
