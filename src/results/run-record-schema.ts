import { z } from 'zod'
import {
  capacityResultSchema,
  capacitySearchSchema,
  scalingResultSchema,
  searchStepSchema,
  topologySchema,
} from '../capacity/capacity-result-schema.js'
import { gateResultSchema } from '../gate/gate-result-schema.js'
import { gateSchema } from '../profile/schema.js'
import { warningSchema } from '../stats/cell-stats-schema.js'
import { failureSchema, trialRecordSchema } from '../stats/trial-record-schema.js'
import { agentJoinedSchema, environmentSchema, resultSchemaVersion } from './results-file-schema.js'

/**
 * The records of a run: one JSON line each, appended to `<results>.jsonl` beside `<results>.json` as they happen
 * (see record-log.ts). They are the run's truth: the results file is their fold (fold-records.ts), written at
 * the end and on interrupt, and a run killed with SIGKILL is read from its records up to the last one written.
 */

const stackRunId = { stack: z.string(), trial: z.number().int() }

/** The run begins: what it runs, where, and how much of it is planned. */
const runStartedRecordSchema = z.object({
  kind: z.literal('run-started'),
  schemaVersion: z.literal(resultSchemaVersion),
  tool: z.object({ name: z.literal('bench'), version: z.string() }),
  profile: z.object({ name: z.string(), file: z.string(), sha256: z.string() }),
  startedAt: z.string(),
  environment: environmentSchema,
  gateConfig: gateSchema.optional(),
  /** The plan as it starts: stack runs (with trials: auto, the most), and the time it should take. */
  plan: z.object({ stackRuns: z.number().int(), estimatedMs: z.number().optional() }).optional(),
})

/** Load from several machines (--agents): every agent joined, before any stack starts. */
const agentsReadyRecordSchema = z.object({
  kind: z.literal('agents-ready'),
  /** Where the coordinator listened, HOST:PORT. */
  listen: z.string(),
  agents: z.array(agentJoinedSchema),
})

/** bench launches a stack run (its processes follow as they are spawned). */
const stackStartedRecordSchema = z.object({ kind: z.literal('stack-started'), ...stackRunId })

/** One process of a stack run, recorded as soon as it is spawned (what bench clean stops after a crash). */
const processSpawnedRecordSchema = z.object({
  kind: z.literal('process-spawned'),
  ...stackRunId,
  name: z.string(),
  pid: z.number().int(),
  /** Clock ticks since boot (/proc/<pid>/stat): the pid is still this process only while it matches. */
  startTime: z.number().int().optional(),
})

/** The stack answers and passed its verification: launch → verified in startupMs. */
const stackReadyRecordSchema = z.object({
  kind: z.literal('stack-ready'),
  ...stackRunId,
  startupMs: z.number(),
})

/** The stack did not start or failed its verification (its steps follow as failed step records). */
const stackFailedRecordSchema = z.object({
  kind: z.literal('stack-failed'),
  ...stackRunId,
  failure: failureSchema,
})

/** bench stopped the stack run's processes. */
const stackStoppedRecordSchema = z.object({ kind: z.literal('stack-stopped'), ...stackRunId })

/** One trial of one step, measured or failed: the trial record of the results file. */
const stepRecordSchema = trialRecordSchema.extend({ kind: z.literal('step') })

/** Something about the results the reader should know, with its fix. */
const warningRecordSchema = warningSchema.extend({ kind: z.literal('warning') })

/** bench capacity begins its search: the SLO, the sizing and the search's bounds, and the stacks searched. */
const capacityStartedRecordSchema = capacityResultSchema.omit({ searches: true, scaling: true }).extend({
  kind: z.literal('capacity-started'),
  searches: z.array(z.object({ stack: z.string(), topology: topologySchema })),
})

/** One step of a stack's SLO search, judged against the SLO. */
const searchStepRecordSchema = z.object({
  kind: z.literal('search-step'),
  stack: z.string(),
  step: searchStepSchema,
})

/** A stack's SLO search ended: its conclusion (the steps are the search-step records before it). */
const searchDoneRecordSchema = capacitySearchSchema
  .omit({ steps: true, topology: true })
  .extend({ kind: z.literal('search-done') })

/** One stack's scaling sweep, fitted. */
const scalingRecordSchema = z.object({ kind: z.literal('scaling'), scaling: scalingResultSchema })

/** The A/B verdict of bench run --gate. */
const gateRecordSchema = z.object({ kind: z.literal('gate'), gate: gateResultSchema })

/** The command ended: complete, interrupted, or failed (bench itself stopped on an unexpected error). */
const runFinishedRecordSchema = z.object({
  kind: z.literal('run-finished'),
  status: z.enum(['complete', 'interrupted', 'failed']),
  finishedAt: z.string(),
})

export const runRecordSchema = z.discriminatedUnion('kind', [
  runStartedRecordSchema,
  agentsReadyRecordSchema,
  stackStartedRecordSchema,
  processSpawnedRecordSchema,
  stackReadyRecordSchema,
  stackFailedRecordSchema,
  stackStoppedRecordSchema,
  stepRecordSchema,
  warningRecordSchema,
  capacityStartedRecordSchema,
  searchStepRecordSchema,
  searchDoneRecordSchema,
  scalingRecordSchema,
  gateRecordSchema,
  runFinishedRecordSchema,
])

export type RunRecord = z.infer<typeof runRecordSchema>
export type RunStartedRecord = z.infer<typeof runStartedRecordSchema>
