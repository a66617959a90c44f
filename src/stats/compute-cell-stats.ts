import { mean, median, sampleStandardDeviation } from 'simple-statistics'
import { emptyErrorCounts } from '../load/trial-sample.js'
import type { CellStats, ErrorCounts, TrialSample } from '../results/result-set-schema.js'
import { summarizeLatency } from './latency-histogram.js'

export function countErrors(errors: ErrorCounts): number {
  const statuses = Object.values(errors.status).reduce((a, b) => a + b, 0)
  return errors.connect + errors.timeout + errors.reset + errors.other + statuses
}

export function mergeErrorCounts(all: readonly ErrorCounts[]): ErrorCounts {
  const merged = emptyErrorCounts()
  for (const e of all) {
    merged.connect += e.connect
    merged.timeout += e.timeout
    merged.reset += e.reset
    merged.other += e.other
    for (const [status, n] of Object.entries(e.status))
      merged.status[status] = (merged.status[status] ?? 0) + n
  }
  return merged
}

/** The trials of one cell (stack × phase × step) → its statistics. */
export function computeCellStats(samples: readonly TrialSample[]): CellStats {
  if (samples.length === 0) throw new Error('computeCellStats needs at least one trial')
  const rates = samples.map((s) => (s.successes * 1000) / s.durationMs)
  const byteRates = samples.map((s) => (s.bytes * 1000) / s.durationMs)
  const errors = mergeErrorCounts(samples.map((s) => s.errors))
  const successes = samples.reduce((sum, s) => sum + s.successes, 0)
  const errorCount = countErrors(errors)
  const average = mean(rates)
  return {
    trials: samples.length,
    reqPerSec: median(rates),
    reqPerSecTrials: rates,
    reqPerSecCv: rates.length > 1 && average > 0 ? sampleStandardDeviation(rates) / average : 0,
    bytesPerSec: median(byteRates),
    latency: summarizeLatency(samples.map((s) => s.histogram)),
    successes,
    errors,
    errorCount,
    errorRate: successes + errorCount === 0 ? 0 : errorCount / (successes + errorCount),
  }
}
