import { z } from 'zod'
import { gateMetrics } from '../profile/schema.js'

/** One trial's value of one gated metric in one cell, as the history stores it. */
const historyValueSchema = z.object({
  stack: z.string(),
  phase: z.string(),
  step: z.number().int(),
  /** "c=50" or "1,000 req/s": the step, as the tables show it. */
  label: z.string(),
  trial: z.number().int(),
  metric: z.enum(gateMetrics),
  value: z.number(),
})

/** One bench run in the history: where and when it ran, and every cell's trial values. */
export const historyRunSchema = z.object({
  /** The order the runs were added in. */
  id: z.number().int(),
  commit: z.string().nullable(),
  branch: z.string().nullable(),
  /** When the run started (ISO 8601): the series are in this order. */
  startedAt: z.string(),
  /** CPU model and count, memory and kernel: runs on different machines compare poorly. */
  machine: z.string(),
  profile: z.string(),
  /** With startedAt, what makes a run the same run: adding a results file twice adds it once. */
  profileSha256: z.string(),
  values: z.array(historyValueSchema),
})

export type HistoryRun = z.infer<typeof historyRunSchema>
/** A run about to be added: the history gives it its id. */
export type NewHistoryRun = Omit<HistoryRun, 'id'>
