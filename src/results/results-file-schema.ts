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

/** A `bench agent` as it joined the run (--agents): who, where, and its clock against the coordinator's. */
export const agentJoinedSchema = z.object({
  name: z.string(),
  index: z.number().int(),
  /** Its IP address, as the coordinator saw it. */
  address: z.string(),
  cpus: z.number().int(),
  /** Its clock minus the coordinator's, ms: every task's start time is shifted by it. */
  clockOffsetMs: z.number(),
  /** The round trip of the clock exchange that set the offset, ms (the offset is known to within half of it). */
  roundTripMs: z.number(),
})

/** One agent over one step (a trial of a cell): what it sent, its CPU, and the step's start skew. */
const agentStepSchema = z.object({
  stack: z.string(),
  phase: z.string(),
  step: z.number().int(),
  trial: z.number().int(),
  requests: z.number().int(),
  cpuPercent: z.number(),
  /** Its actual start, ms after the step's common start (coordinator's clock). */
  startMs: z.number(),
  /** The step's start skew: the latest agent's actual start less the earliest's, ms. */
  startSkewMs: z.number(),
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
  /** Load from several machines (--agents): one entry per agent, with each step it ran (absent without). */
  agents: z.array(agentJoinedSchema.extend({ steps: z.array(agentStepSchema) })).optional(),
})

export type StackRunRecord = z.infer<typeof stackRunSchema>
export type Environment = z.infer<typeof environmentSchema>
export type ResultSet = z.infer<typeof resultSetSchema>
