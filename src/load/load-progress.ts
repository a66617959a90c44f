import { countErrors } from '../samples/count-errors.js'
import type { LatencyRecorder } from '../samples/latency-histogram.js'
import type { ErrorCounts } from '../samples/sample-schemas.js'

/** How a step is going, so far: what a live progress line shows. */
export interface LoadProgress {
  elapsedMs: number
  /** 2xx responses so far. */
  successes: number
  /** Failed requests so far, every class and non-2xx status together. */
  errors: number
  /** p99 latency so far, ms (corrected in open loop). */
  p99Ms: number
}

export type ProgressSink = (progress: LoadProgress) => void

/** How often a generator thread reports its progress. */
export const progressIntervalMs = 500

/** Reports a loop's counters every progressIntervalMs (cheap: a few numbers, one percentile read). */
export function reportProgress(
  sink: ProgressSink | undefined,
  read: () => { successes: number; errors: ErrorCounts; latency: LatencyRecorder },
): () => void {
  if (!sink) return () => {}
  const started = performance.now()
  const timer = setInterval(() => {
    const { successes, errors, latency } = read()
    const elapsedMs = performance.now() - started
    sink({ elapsedMs, successes, errors: countErrors(errors), p99Ms: latency.percentileMs(99) })
  }, progressIntervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
