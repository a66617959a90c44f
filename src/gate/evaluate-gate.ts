import type { GateConfig } from '../profile/schema.js'
import { countErrors } from '../samples/count-errors.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { errorPercent } from '../stats/compute-cell-stats.js'
import { trialMetrics } from '../stats/trial-metrics.js'
import type { GateResult } from './gate-result-schema.js'
import { judgeCells } from './judge-cells.js'
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
 * Baseline vs candidate, cell by cell, from their trial samples: each trial's req/s, p50, p99 and error rate,
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
  const cells = pairs.map((pair) => ({
    cell: pair.cell,
    phase: pair.phase,
    step: pair.step,
    label: pair.label,
    paired: pair.paired,
    baseline: pair.baseline.map(trialMetrics),
    candidate: pair.candidate.map(trialMetrics),
    candidateErrorPercent: pooledErrorPercent(pair.candidate),
  }))
  return judgeCells(cells, config, baseline, candidate, look)
}
