import { countErrors } from '../samples/count-errors.js'
import type { LatencyRecorder } from '../samples/latency-histogram.js'
import type { ErrorCounts } from '../samples/sample-schemas.js'
import type { LoadProgress } from './contract/generator-messages.js'

export type { LoadProgress }

export type ProgressSink = (progress: LoadProgress) => void

/** How often a generator thread reports its progress. */
const progressIntervalMs = 500

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
