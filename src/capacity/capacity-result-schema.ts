import { z } from 'zod'
import { scalingParameters } from '../profile/schema.js'
import { generatorUsageSchema, latencySummarySchema } from '../samples/sample-schemas.js'
import { tierUsageSchema } from '../stats/tier-usage-schema.js'

/** One open-loop step of the SLO search, judged against the SLO. */
export const searchStepSchema = z.object({
  /** Offered req/s. */
  rate: z.number(),
  /** Why it ran: doubling up, halving down (the start rate failed), bisecting, or confirming the result. */
  kind: z.enum(['double', 'halve', 'bisect', 'confirm']),
  /** pass: within the SLO; fail: SLO broken or could not keep up; suspect: the generator, not the stack, limited it. */
  outcome: z.enum(['pass', 'fail', 'suspect']),
  reasons: z.array(z.string()),
  /** 2xx req/s achieved. */
  achieved: z.number(),
  /** Latency from each request's intended send time (coordinated omission corrected), ms. */
  latency: latencySummarySchema,
  /** Failed requests, percent of all requests. */
  errorPercent: z.number(),
  resources: z.array(tierUsageSchema),
  /** The load generator's own CPU and event-loop use: a busy generator makes the step suspect. */
  generator: generatorUsageSchema.optional(),
})

/** What a stack is: for the proxy-cost comparison (same app and workers, with and without a proxy). */
export const topologySchema = z.object({
  app: z.string().nullable(),
  proxy: z.string().nullable(),
  workers: z.number().int().nullable(),
  instances: z.number().int(),
})

/** The highest rate one stack sustains within the SLO. */
export const capacitySearchSchema = z.object({
  stack: z.string(),
  topology: topologySchema,
  /**
   * found: bracketed to the precision and confirmed; at-limit: still within the SLO at capacity.maxRate;
   * generator-bound: the generator could not offer more, so the stack's limit lies higher; none: no rate passed;
   * failed: the stack did not start or died; interrupted: stopped before the end.
   */
  status: z.enum(['found', 'at-limit', 'generator-bound', 'none', 'failed', 'interrupted']),
  /** Highest confirmed passing req/s (a lower bound for at-limit and generator-bound). */
  maxRate: z.number().nullable(),
  /** The lowest rate that did not pass, above maxRate. */
  failRate: z.number().nullable(),
  /** The confirmation step at maxRate: latency and per-tier CPU at the capacity. */
  atMax: searchStepSchema.optional(),
  /** Where latency turns up: the knee of corrected p99 against offered rate (Kneedle). */
  knee: z.object({ rate: z.number(), p99: z.number() }).optional(),
  /** Machines for the target: ⌈target ÷ (maxRate × headroom)⌉. */
  machines: z.number().int().optional(),
  steps: z.array(searchStepSchema),
  note: z.string().optional(),
})

export const uslFitSchema = z.object({
  lambda: z.number(),
  sigma: z.number(),
  kappa: z.number(),
  standardErrors: z.object({ lambda: z.number(), sigma: z.number(), kappa: z.number() }),
  rSquared: z.number(),
  /** Worker count of peak throughput (null when κ = 0: no peak). */
  peakN: z.number().nullable(),
  peakX: z.number().nullable(),
})

/** One stack's sweep: throughput per worker (or instance) count, and the USL fitted to it. */
export const scalingResultSchema = z.object({
  stack: z.string(),
  parameter: z.enum(scalingParameters),
  points: z.array(
    z.object({
      n: z.number().int(),
      /** Median over trials of the highest req/s of the closed-loop phase's steps (null: every trial failed). */
      reqPerSec: z.number().nullable(),
      reqPerSecCv: z.number(),
      /** Measured gain over the previous count, req/s per added worker. */
      marginal: z.number().nullable(),
    }),
  ),
  fit: uslFitSchema.nullable(),
  /** Worker count beyond which one more adds less than 5 % of X(1): the efficient size. */
  efficientN: z.number().int().nullable(),
  /** Sizing: the fewest workers whose modelled throughput × headroom reaches the target, and the machines needed. */
  recommended: z.object({ n: z.number().int(), machines: z.number().int(), reason: z.string() }).optional(),
  warnings: z.array(z.string()),
})

/** The profile's SLO as judged: latency limits in ms, failed requests in percent of all (the profile's slo.errorRate). */
export const sloRecordSchema = z.object({
  p50: z.number().optional(),
  p90: z.number().optional(),
  p99: z.number().optional(),
  p999: z.number().optional(),
  errorPercent: z.number().optional(),
})

export const capacityResultSchema = z.object({
  slo: sloRecordSchema.optional(),
  target: z.number().optional(),
  headroom: z.number(),
  /** The search's bounds: bisection to this many percent, from startRate, doubling up to maxRate (req/s). */
  precision: z.number(),
  startRate: z.number().optional(),
  maxRate: z.number().optional(),
  searches: z.array(capacitySearchSchema),
  scaling: z.array(scalingResultSchema),
})

export type SearchStep = z.infer<typeof searchStepSchema>
export type CapacitySearch = z.infer<typeof capacitySearchSchema>
export type UslFitRecord = z.infer<typeof uslFitSchema>
export type ScalingResult = z.infer<typeof scalingResultSchema>
export type SloRecord = z.infer<typeof sloRecordSchema>
export type CapacityResult = z.infer<typeof capacityResultSchema>
