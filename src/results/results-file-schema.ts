import { z } from 'zod'
import { capacityResultSchema } from '../capacity/capacity-result-schema.js'
import { gateResultSchema } from '../gate/gate-result-schema.js'
import { gateSchema } from '../profile/schema.js'
import { warningSchema } from '../stats/cell-stats-schema.js'
import { cellRecordSchema, failureSchema, trialRecordSchema } from '../stats/trial-record-schema.js'

/**
 * Bumped whenever a reader of an older file would misread a newer one. 3: the error rate is a percent of
 * requests everywhere, named errorPercent (version 2's cell and search-step errorRate was a fraction); a version 2
 * file is read through upgradeResultSet.
 */
export const resultSchemaVersion = 3

/** One start of one stack: the processes bench launched for it (each the leader of its own process group). */
export const stackRunSchema = z.object({
  stack: z.string(),
  trial: z.number().int(),
  startupMs: z.number().optional(),
  processes: z.array(
    z.object({
      name: z.string(),
      pid: z.number().int(),
      /** Clock ticks since boot (/proc/<pid>/stat): the pid is still this process only while it matches. */
      startTime: z.number().int().optional(),
    }),
  ),
  failure: failureSchema.optional(),
})

export const environmentSchema = z.object({
  node: z.string(),
  platform: z.string(),
  kernel: z.string(),
  cpuModel: z.string(),
  cpuCount: z.number().int(),
  memoryGiB: z.number(),
  versions: z.record(z.string(), z.string().nullable()),
  gitCommit: z.string().nullable(),
})

export const resultSetSchema = z.object({
  schemaVersion: z.literal(resultSchemaVersion),
  tool: z.object({ name: z.literal('bench'), version: z.string() }),
  /** failed: bench itself stopped on an unexpected error (the results hold every step finished before). */
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  profile: z.object({ name: z.string(), file: z.string(), sha256: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  environment: environmentSchema,
  stackRuns: z.array(stackRunSchema),
  trials: z.array(trialRecordSchema),
  cells: z.array(cellRecordSchema),
  warnings: z.array(warningSchema),
  /** The profile's gate settings, reused by `bench gate` against this file. */
  gateConfig: gateSchema.optional(),
  /** The A/B verdict of `bench run --gate`. */
  gate: gateResultSchema.optional(),
  /** bench capacity: the SLO search, the scaling sweeps and the sizing. */
  capacity: capacityResultSchema.optional(),
})

export type StackRunRecord = z.infer<typeof stackRunSchema>
export type Environment = z.infer<typeof environmentSchema>
export type ResultSet = z.infer<typeof resultSetSchema>
