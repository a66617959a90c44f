import { z } from 'zod'
import {
  errorCountsSchema,
  generatorUsageSchema,
  idleOutcomeSchema,
  latencySummarySchema,
  slowClientOutcomeSchema,
} from '../samples/sample-schemas.js'
import { tierUsageSchema } from './tier-usage-schema.js'

export const verdictSchema = z.object({
  status: z.enum(['ok', 'suspect']),
  reasons: z.array(z.object({ message: z.string(), fix: z.string() })),
})

/** Something about a run's results the reader should know, with its fix (results.warnings). */
export const warningSchema = z.object({
  message: z.string(),
  fix: z.string(),
  stack: z.string().optional(),
  phase: z.string().optional(),
})

export const cellStatsSchema = z.object({
  trials: z.number().int(),
  /** Successful responses per second: the median over trials, and each trial's value. */
  reqPerSec: z.number(),
  reqPerSecTrials: z.array(z.number()),
  /** Coefficient of variation of req/s across trials (0 with one trial). */
  reqPerSecCv: z.number(),
  bytesPerSec: z.number(),
  /** Percentiles of the latency histograms of all trials merged. */
  latency: latencySummarySchema,
  successes: z.number().int(),
  errors: errorCountsSchema,
  errorCount: z.number().int(),
  /** Failed requests, percent of all requests (successes + failed requests). */
  errorPercent: z.number(),
  /** Open loop: offered vs achieved, corrected latency and the generator's lateness. */
  open: z
    .object({
      targetRate: z.number(),
      corrected: latencySummarySchema,
      sendLag: latencySummarySchema,
      blocked: z.number().int(),
    })
    .optional(),
  /** Per tier: median CPU over trials, highest peak RSS. */
  resources: z.array(tierUsageSchema),
  /** PostgreSQL's own counts: statements and transactions per second (median over trials), statements per 2xx response. */
  database: z
    .object({
      queriesPerSec: z.number(),
      transactionsPerSec: z.number(),
      queriesPerResponse: z.number(),
    })
    .optional(),
  generator: generatorUsageSchema.optional(),
  /** Summed over trials. */
  slowClients: slowClientOutcomeSchema.optional(),
  idle: idleOutcomeSchema.optional(),
  /** A WebSocket phase: its connections summed over trials, and each tier's RSS per held connection (median). */
  websocket: z
    .object({
      connections: z.number().int(),
      established: z.number().int(),
      refused: errorCountsSchema,
      dropped: z.number().int(),
      tooLarge: z.number().int(),
      closedCleanly: z.number().int(),
      handshake: latencySummarySchema,
      rssPerConnection: z.array(z.object({ tier: z.string(), kb: z.number() })),
    })
    .optional(),
  /** A phase that mixes several requests: each one's share of the cell (latency as the cell's table leads with). */
  endpoints: z
    .array(
      z.object({
        name: z.string(),
        reqPerSec: z.number(),
        successes: z.number().int(),
        errorCount: z.number().int(),
        /** Percent of its requests. */
        errorPercent: z.number(),
        latency: latencySummarySchema,
      }),
    )
    .optional(),
})

export type Verdict = z.infer<typeof verdictSchema>
export type CellStats = z.infer<typeof cellStatsSchema>
export type Warning = z.infer<typeof warningSchema>
