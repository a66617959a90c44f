import type { GateMetric } from '../profile/schema.js'
import { countErrors } from '../samples/count-errors.js'
import { summarizeLatency } from '../samples/latency-histogram.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { errorPercent } from './compute-cell-stats.js'

/** One trial's value of each gated metric: req/s, p50 and p99 in ms (open loop: corrected), error rate in % of requests (the gate's
 * metric keeps the profile's name, gate.metrics.errorRate). */
export function trialMetrics(sample: TrialSample): Record<GateMetric, number> {
  const latency = summarizeLatency([sample.open?.correctedHistogram ?? sample.histogram])
  const errors = countErrors(sample.errors)
  return {
    reqPerSec: (sample.successes * 1000) / sample.durationMs,
    // a trial that answered nothing has no latency: 0 here, as before (the gate's error rate judges such a trial)
    p50: latency.p50 ?? 0,
    p99: latency.p99 ?? 0,
    errorRate: errorPercent(sample.successes, errors),
  }
}
