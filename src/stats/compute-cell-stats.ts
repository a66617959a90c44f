import { countErrors } from '../samples/count-errors.js'
import { summarizeLatency } from '../samples/latency-histogram.js'
import { mergeErrorCounts } from '../samples/merge-error-counts.js'
import type { EndpointSample, GeneratorUsage, TrialSample } from '../samples/sample-schemas.js'
import type { CellStats } from './cell-stats-schema.js'
import { mean, median, sampleStandardDeviation } from './simple-statistics.js'
import type { TierUsage } from './tier-usage-schema.js'
import { websocketStats } from './websocket-stats.js'

/** Per tier across trials: the median CPU %, the highest peak RSS. */
function combineResources(perTrial: readonly (readonly TierUsage[])[]): TierUsage[] {
  const tiers = [...new Set(perTrial.flatMap((usages) => usages.map((u) => u.tier)))]
  return tiers.map((tier) => {
    const usages = perTrial.flatMap((list) => list.filter((u) => u.tier === tier))
    return {
      tier,
      cpuPercent: median(usages.map((u) => u.cpuPercent)),
      peakRssMb: Math.max(...usages.map((u) => u.peakRssMb)),
    }
  })
}

/** Failed requests, percent of all requests (successes and failures): the one error rate bench reports. */
export function errorPercent(successes: number, failed: number): number {
  return successes + failed === 0 ? 0 : (failed / (successes + failed)) * 100
}

/** Each of a mix's requests over the trials: its req/s (median of trials), errors and merged latency. */
function endpointStats(samples: readonly TrialSample[]): CellStats['endpoints'] {
  const first = samples[0]?.endpoints
  if (!first || samples.some((s) => s.endpoints?.length !== first.length)) return undefined
  return first.map(({ name }, i) => {
    const trials = samples.map((s) => ({ ...(s.endpoints?.[i] as EndpointSample), durationMs: s.durationMs }))
    const successes = trials.reduce((sum, t) => sum + t.successes, 0)
    const errorCount = countErrors(mergeErrorCounts(trials.map((t) => t.errors)))
    return {
      name,
      reqPerSec: median(trials.map((t) => (t.successes * 1000) / t.durationMs)),
      successes,
      errorCount,
      errorPercent: errorPercent(successes, errorCount),
      latency: summarizeLatency(trials.map((t) => t.histogram)),
    }
  })
}

/** The busiest the generator was in any trial (with each generator of that trial, when they were recorded). */
function worstGenerator(usages: readonly GeneratorUsage[]): GeneratorUsage | undefined {
  if (usages.length === 0) return undefined
  const busiest = usages.reduce((a, b) => (b.eventLoopUtilization > a.eventLoopUtilization ? b : a))
  return {
    threads: Math.max(...usages.map((g) => g.threads)),
    cpuPercent: Math.max(...usages.map((g) => g.cpuPercent)),
    eventLoopUtilization: busiest.eventLoopUtilization,
    ...(busiest.generators ? { generators: busiest.generators } : {}),
  }
}

/** The trials of one cell (stack × phase × step) → its statistics; `resources` holds each trial's tier usage. */
export function computeCellStats(
  samples: readonly TrialSample[],
  resources: readonly (readonly TierUsage[])[] = [],
): CellStats {
  if (samples.length === 0) throw new Error('computeCellStats needs at least one trial')
  const rates = samples.map((s) => (s.successes * 1000) / s.durationMs)
  const byteRates = samples.map((s) => (s.bytes * 1000) / s.durationMs)
  const errors = mergeErrorCounts(samples.map((s) => s.errors))
  const successes = samples.reduce((sum, s) => sum + s.successes, 0)
  const errorCount = countErrors(errors)
  const average = mean(rates)
  const opens = samples.flatMap((s) => (s.open ? [s.open] : []))
  const generator = worstGenerator(samples.flatMap((s) => (s.generator ? [s.generator] : [])))
  const endpoints = endpointStats(samples)
  const websocket = websocketStats(samples, resources)
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
    errorPercent: errorPercent(successes, errorCount),
    ...(opens.length
      ? {
          open: {
            targetRate: median(opens.map((o) => o.targetRate)),
            corrected: summarizeLatency(opens.map((o) => o.correctedHistogram)),
            sendLag: summarizeLatency(opens.map((o) => o.sendLagHistogram)),
            blocked: opens.reduce((sum, o) => sum + o.blocked, 0),
          },
        }
      : {}),
    resources: combineResources(resources),
    ...(generator ? { generator } : {}),
    ...(endpoints ? { endpoints } : {}),
    ...(websocket ? { websocket } : {}),
  }
}
