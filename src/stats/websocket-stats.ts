import { summarizeLatency } from '../samples/latency-histogram.js'
import { mergeErrorCounts } from '../samples/merge-error-counts.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import type { CellStats } from './cell-stats-schema.js'
import { median } from './simple-statistics.js'
import type { TierUsage } from './tier-usage-schema.js'

/**
 * A WebSocket cell's connections over its trials (summed), its handshake latency (merged), and what each held
 * connection cost each tier: (RSS while held − RSS just before the step) ÷ connections established, the median
 * over trials, in KB. The peak is the sampler's highest reading, every 250 ms during the hold.
 */
export function websocketStats(
  samples: readonly TrialSample[],
  resources: readonly (readonly TierUsage[])[],
): CellStats['websocket'] {
  const trials = samples.flatMap((s, i) =>
    s.websocket ? [{ ws: s.websocket, usage: resources[i] ?? [] }] : [],
  )
  if (trials.length === 0) return undefined
  const sum = (key: 'connections' | 'established' | 'dropped' | 'tooLarge' | 'closedCleanly') =>
    trials.reduce((total, t) => total + t.ws[key], 0)
  const tiers = [...new Set(trials.flatMap((t) => t.usage.map((u) => u.tier)))]
  return {
    connections: sum('connections'),
    established: sum('established'),
    refused: mergeErrorCounts(trials.map((t) => t.ws.refused)),
    dropped: sum('dropped'),
    tooLarge: sum('tooLarge'),
    closedCleanly: sum('closedCleanly'),
    handshake: summarizeLatency(trials.map((t) => t.ws.handshakeHistogram)),
    rssPerConnection: tiers.flatMap((tier) => {
      const perTrial = trials.flatMap(({ ws, usage }) => {
        const u = usage.find((x) => x.tier === tier)
        if (!u || u.startRssMb === undefined || ws.established === 0) return []
        return [((u.peakRssMb - u.startRssMb) * 1024) / ws.established]
      })
      return perTrial.length ? [{ tier, kb: median(perTrial) }] : []
    }),
  }
}
