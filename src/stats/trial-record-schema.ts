import { z } from 'zod'
import { idleOutcomeSchema, slowClientOutcomeSchema, trialSampleSchema } from '../samples/sample-schemas.js'
import { cellStatsSchema, verdictSchema } from './cell-stats-schema.js'
import { databaseUsageSchema, tierUsageSchema } from './tier-usage-schema.js'

export const failureSchema = z.object({ message: z.string(), fix: z.string(), logTail: z.array(z.string()) })

/** What names a trial's cell (see stats/cell-key.ts) and the load it ran. */
const cellFields = {
  stack: z.string(),
  phase: z.string(),
  /** Index in the phase's connection ladder. */
  step: z.number().int(),
  /** websocket: a protocol: websocket phase (its connections held; messages instead of requests). */
  loop: z.enum(['closed', 'open', 'websocket']),
  /** Closed loop: the connections; open loop: the most it may open. */
  connections: z.number().int(),
  pipelining: z.number().int(),
  /** Open loop: the offered rate, from → to over the step. */
  rate: z.object({ from: z.number(), to: z.number() }).optional(),
}

export const trialRecordSchema = z.object({
  ...cellFields,
  trial: z.number().int(),
  status: z.enum(['ok', 'failed']),
  /** Launch → verified, for the stack run this trial belonged to. */
  startupMs: z.number().optional(),
  sample: trialSampleSchema.optional(),
  resources: z.array(tierUsageSchema).optional(),
  database: databaseUsageSchema.optional(),
  slowClients: slowClientOutcomeSchema.optional(),
  idle: idleOutcomeSchema.optional(),
  failure: failureSchema.optional(),
})

export const cellRecordSchema = z.object({
  ...cellFields,
  status: z.enum(['ok', 'failed']),
  /** Median startup time over the trials. */
  startupMs: z.number().optional(),
  stats: cellStatsSchema.optional(),
  verdict: verdictSchema.optional(),
  failures: z.array(failureSchema),
})

export type TrialRecord = z.infer<typeof trialRecordSchema>
export type CellRecord = z.infer<typeof cellRecordSchema>
export type Failure = z.infer<typeof failureSchema>
