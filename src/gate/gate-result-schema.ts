import { z } from 'zod'
import { gateMetrics } from '../profile/schema.js'

/** The row's metrics: the profile's gate metrics, and each tier's CPU time per successful response (ms). */
export const gateRowMetrics = [...gateMetrics, 'cpuPerRequest'] as const

const interval = z.object({ low: z.number(), high: z.number() })

/** The change of a metric, candidate ÷ baseline, with its confidence interval (gate/change-ratio.ts). */
export const changeRatioSchema = z.object({
  /** Hodges–Lehmann estimate: the median of the candidate ÷ baseline trial ratios (on the log scale). */
  ratio: z.number(),
  /** The interval of the ratio; null when there are too few trials to reach the level. */
  low: z.number().nullable(),
  high: z.number().nullable(),
  /** The level asked for: 1 − alpha ÷ (the number of metrics in the correction's family). */
  level: z.number(),
  /** The interval's coverage: at least the level when exact, the level under the normal approximation. */
  confidence: z.number(),
  /** Paired trials (A/B in one run): the signed-rank interval of the per-pair log-ratios, exact (no ties or zeros,
   * < 50 pairs) or normal. A stored baseline: exact Mann-Whitney U (no ties, ≤ 25 a side) or Moses' approximation. */
  method: z.enum(['exact', 'normal']),
  /** From the per-pair log-ratios of trials run side by side (true), or from two independent groups (false).
   * Absent in files written before bench paired trials. */
  paired: z.boolean().optional(),
})

/** One gated metric of one cell: the two groups of trials compared. */
export const gateRowSchema = z.object({
  /** "hello c=50", with the stack first when comparing stored results. */
  cell: z.string(),
  phase: z.string(),
  step: z.number().int(),
  /** "c=50" or "1,000 req/s": the step, as the tables show it. */
  label: z.string(),
  metric: z.enum(gateRowMetrics),
  /** cpuPerRequest: the tier ("app", "nginx"), its processes' user + system CPU time per successful response. */
  tier: z.string().optional(),
  baselineMedian: z.number(),
  candidateMedian: z.number(),
  /** 95 % distribution-free intervals of the medians (wider when there are few trials). */
  baselineInterval: interval,
  candidateInterval: interval,
  /** Median change, % of the baseline (error rate: percentage points). */
  changePct: z.number(),
  /** req/s, p50, p99: the change as a ratio with the confidence interval the verdict is read from. Absent for the
   * error rate (judged on absolute limits) and in files written before bench decided from intervals. */
  change: changeRatioSchema.optional(),
  /** Wilcoxon signed-rank (paired) or Mann-Whitney U, two-sided, and after Holm's correction across the family
   * (null for error rate). */
  p: z.number().nullable(),
  pAdjusted: z.number().nullable(),
  verdict: z.enum(['pass', 'warn', 'fail', 'inconclusive']),
  reason: z.string(),
})

export const gateResultSchema = z.object({
  baseline: z.string(),
  candidate: z.string(),
  verdict: z.enum(['pass', 'regression', 'inconclusive']),
  /** The family alpha was spent over (gate or cell), the metrics in one family, and each interval's level. Absent
   * in files written before bench decided from intervals. */
  family: z.enum(['gate', 'cell']).optional(),
  familySize: z.number().int().optional(),
  level: z.number().optional(),
  /** trials: auto — the look the verdict was read at (trials a side, and the bounds) and the alpha it spent. */
  sequential: z
    .object({
      trials: z.number().int(),
      minTrials: z.number().int(),
      maxTrials: z.number().int(),
      alpha: z.number(),
    })
    .optional(),
  rows: z.array(gateRowSchema),
})

export type ChangeRatio = z.infer<typeof changeRatioSchema>
export type GateRow = z.infer<typeof gateRowSchema>
export type GateResult = z.infer<typeof gateResultSchema>
export type GateRowMetric = (typeof gateRowMetrics)[number]
