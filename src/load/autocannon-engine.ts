import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { emptyErrorCounts } from '../samples/error-classes.js'
import { LatencyRecorder } from '../samples/latency-histogram.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { classifyError } from './classify-error.js'
import type { ClosedLoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import { type ProgressSink, reportProgress } from './load-progress.js'

/**
 * Closed-loop load with autocannon (patched at install for Connection: close, see patches/). autocannon's own
 * histograms hold integer milliseconds, so latency is taken from its per-response float timing into a µs HDR
 * histogram, and req/s from our own clock and 2xx count.
 */
export function runAutocannon(
  target: LoadTarget,
  load: ClosedLoadSpec,
  signal: AbortSignal,
  progress?: ProgressSink,
): Promise<TrialSample> {
  return new Promise((resolve, reject) => {
    const recorder = new LatencyRecorder()
    const errors = emptyErrorCounts()
    let successes = 0
    let bytes = 0
    const started = performance.now()
    const stopProgress = reportProgress(progress, () => ({ successes, errors, latency: recorder }))
    const instance = autocannon(
      {
        url: target.baseUrl,
        connections: load.connections,
        pipelining: load.pipelining,
        duration: load.durationMs / 1000,
        timeout: load.timeoutMs / 1000,
        // autocannon checks its stop flag once per sample interval: 100 ms keeps the duration tight
        sampleInt: 100,
        skipAggregateResult: true,
        ...(load.churn === undefined ? {} : { reconnectRate: load.churn }),
        requests: load.requests.map((r) => ({
          method: r.method,
          path: r.path,
          headers: r.headers,
          ...(r.body === undefined ? {} : { body: r.body }),
        })),
      },
      (error) => {
        signal.removeEventListener('abort', stop)
        if (error) return reject(error)
        stopProgress()
        resolve({
          successes,
          bytes,
          durationMs: performance.now() - started,
          errors,
          histogram: recorder.encode(),
        })
      },
    )
    const stop = () => instance.stop()
    signal.addEventListener('abort', stop, { once: true })
    instance.on('response', (_client: unknown, status: number, resBytes: number, responseTimeMs: number) => {
      if (status >= 200 && status < 300) {
        successes++
        bytes += resBytes
        recorder.record(responseTimeMs * 1000)
      } else {
        errors.status[status] = (errors.status[status] ?? 0) + 1
      }
    })
    instance.on('reqError', (error: { code?: string; message?: string }) => {
      errors[classifyError(error)]++
    })
  })
}
