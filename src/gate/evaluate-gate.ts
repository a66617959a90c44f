import type { GateConfig } from '../profile/schema.js'
import { countErrors } from '../samples/count-errors.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { errorPercent } from '../stats/compute-cell-stats.js'
import type { TierUsage } from '../stats/tier-usage-schema.js'
import { trialMetrics } from '../stats/trial-metrics.js'
import type { GateResult } from './gate-result-schema.js'
import { type GateCellValues, judgeCells } from './judge-cells.js'
import type { GatePair } from './pair-cells.js'
import type { GateLook } from './spent-alpha.js'

/** Failed requests over every trial, percent of all requests. */
function pooledErrorPercent(samples: readonly TrialSample[]): number {
  const failed = samples.reduce((sum, s) => sum + countErrors(s.errors), 0)
  return errorPercent(
    samples.reduce((sum, s) => sum + s.successes, 0),
    failed,
  )
}

/**
 * The least CPU time a tier must have spent in every trial to be gated on it: the kernel counts CPU in ticks of
 * 10 ms per process, so 0.5 s is 50 ticks, read to within about 1 %; a tier that hardly works (an app that
 * sleeps) would make its CPU per request mostly rounding, and the gate inconclusive on nothing.
 */
const minCpuSeconds = 0.5

/**
 * Each tier's CPU milliseconds (user + system) per successful response, trial by trial, for the tiers measured in
 * every trial of both groups with something served and at least minCpuSeconds spent: a tier missing from one
 * trial is not gated rather than guessed.
 */
function cpuPerRequest(pair: GatePair): NonNullable<GateCellValues['cpuPerRequest']> {
  const perTrial = (samples: readonly TrialSample[], resources: readonly TierUsage[][] | undefined) =>
    samples.map((s, i) => {
      const byTier = new Map<string, number>()
      for (const usage of resources?.[i] ?? [])
        if (usage.cpuSeconds !== undefined && usage.cpuSeconds >= minCpuSeconds && s.successes > 0)
          byTier.set(usage.tier, (usage.cpuSeconds * 1000) / s.successes)
      return byTier
    })
  const base = perTrial(pair.baseline, pair.baselineResources)
  const cand = perTrial(pair.candidate, pair.candidateResources)
  const tiers = [...(base[0]?.keys() ?? [])].filter((tier) =>
    [...base, ...cand].every((trial) => trial.has(tier)),
  )
  return tiers.map((tier) => ({
    tier,
    baseline: base.map((trial) => trial.get(tier) as number),
    candidate: cand.map((trial) => trial.get(tier) as number),
  }))
}

/** One cell's trial values of each metric the gate judges, from its trial samples and tiers' usage. */
export const gateCellValues = (pair: GatePair): GateCellValues => ({
  cell: pair.cell,
  phase: pair.phase,
  step: pair.step,
  label: pair.label,
  paired: pair.paired,
  baseline: pair.baseline.map(trialMetrics),
  candidate: pair.candidate.map(trialMetrics),
  candidateErrorPercent: pooledErrorPercent(pair.candidate),
  cpuPerRequest: cpuPerRequest(pair),
})

/**
 * Baseline vs candidate, cell by cell, from their trial samples: each trial's req/s, p50, p99, error rate and each tier's CPU per request,
 * judged by judgeCells. The error rate is pooled over the candidate's trials: one trial of nothing but 502s must
 * not hide behind a median.
 */
export function evaluateGate(
  pairs: readonly GatePair[],
  config: GateConfig,
  baseline: string,
  candidate: string,
  look?: GateLook,
): GateResult {
  const cells = pairs.map(gateCellValues)
  return judgeCells(cells, config, baseline, candidate, look)
}
