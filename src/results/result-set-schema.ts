import { z } from 'zod'
import { gateMetrics, gateSchema, scalingParameters } from '../profile/schema.js'
import {
  endpointSampleSchema,
  errorCountsSchema,
  generatorUsageSchema,
  idleOutcomeSchema,
  latencySummarySchema,
  openLoopSampleSchema,
  slowClientOutcomeSchema,
  trialSampleSchema,
  websocketSampleSchema,
} from '../samples/sample-schemas.js'

/** Bumped whenever a reader of an older file would misread a newer one. */
export const resultSchemaVersion = 2

export type {
  EndpointSample,
  ErrorCounts,
  GeneratorUsage,
  IdleOutcome,
  LatencySummary,
  OpenLoopSample,
  SlowClientOutcome,
  TrialSample,
} from '../samples/sample-schemas.js'
export {
  endpointSampleSchema,
  errorCountsSchema,
  generatorUsageSchema,
  idleOutcomeSchema,
  latencySummarySchema,
  openLoopSampleSchema,
  slowClientOutcomeSchema,
  trialSampleSchema,
  websocketSampleSchema,
}

/** CPU and memory of one tier of a stack (proxy, app: whole process groups, workers included) over a step. */
export const tierUsageSchema = z.object({
  tier: z.string(),
  /** % of one core. */
  cpuPercent: z.number(),
  peakRssMb: z.number(),
  /** RSS at the first sample, just before the step's load started (what a WebSocket step's held connections add to). */
  startRssMb: z.number().optional(),
})

/**
 * What the database did during a step (PostgreSQL): read from its statistics views just before and just after
 * the measured load, the difference of the two.
 */
export const databaseUsageSchema = z.object({
  /** Statements executed in the app's database (pg_stat_statements, summed calls): exact. */
  statements: z.number().int(),
  /** Transactions committed there (pg_stat_database.xact_commit): each backend reports its count at most once a
   * second, so this can miss up to about the last second of each connection's transactions. */
  transactions: z.number().int(),
})

export const verdictSchema = z.object({
  status: z.enum(['ok', 'suspect']),
  reasons: z.array(z.object({ message: z.string(), fix: z.string() })),
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
  /** Failed requests ÷ (successes + failed requests). */
  errorRate: z.number(),
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
        errorRate: z.number(),
        latency: latencySummarySchema,
      }),
    )
    .optional(),
})

const failureSchema = z.object({ message: z.string(), fix: z.string(), logTail: z.array(z.string()) })

const cellKey = {
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
  ...cellKey,
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
  ...cellKey,
  status: z.enum(['ok', 'failed']),
  /** Median startup time over the trials. */
  startupMs: z.number().optional(),
  stats: cellStatsSchema.optional(),
  verdict: verdictSchema.optional(),
  failures: z.array(failureSchema),
})

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

export const warningSchema = z.object({
  message: z.string(),
  fix: z.string(),
  stack: z.string().optional(),
  phase: z.string().optional(),
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
  /** exact: the exact Mann-Whitney U distribution (no ties, ≤ 25 trials a side); normal: Moses' approximation. */
  method: z.enum(['exact', 'normal']),
})

/** One gated metric of one cell: the two groups of trials compared. */
export const gateRowSchema = z.object({
  /** "hello c=50", with the stack first when comparing stored results. */
  cell: z.string(),
  phase: z.string(),
  step: z.number().int(),
  /** "c=50" or "1,000 req/s": the step, as the tables show it. */
  label: z.string(),
  metric: z.enum(gateMetrics),
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
  /** Mann-Whitney U, two-sided, and after Holm's correction across the family (null for error rate). */
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
  /** Failed requests ÷ all requests. */
  errorRate: z.number(),
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

/** The profile's SLO as judged: latency limits in ms, error rate in percent. */
export const sloRecordSchema = z.object({
  p50: z.number().optional(),
  p90: z.number().optional(),
  p99: z.number().optional(),
  p999: z.number().optional(),
  errorRate: z.number().optional(),
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

export type CellStats = z.infer<typeof cellStatsSchema>
export type TierUsage = z.infer<typeof tierUsageSchema>
export type DatabaseUsage = z.infer<typeof databaseUsageSchema>
export type Verdict = z.infer<typeof verdictSchema>
export type TrialRecord = z.infer<typeof trialRecordSchema>
export type CellRecord = z.infer<typeof cellRecordSchema>
export type StackRunRecord = z.infer<typeof stackRunSchema>
export type Warning = z.infer<typeof warningSchema>
export type Environment = z.infer<typeof environmentSchema>
export type ResultSet = z.infer<typeof resultSetSchema>
export type GateRow = z.infer<typeof gateRowSchema>
export type ChangeRatio = z.infer<typeof changeRatioSchema>
export type GateResult = z.infer<typeof gateResultSchema>
export type SearchStep = z.infer<typeof searchStepSchema>
export type Topology = z.infer<typeof topologySchema>
export type CapacitySearch = z.infer<typeof capacitySearchSchema>
export type UslFitRecord = z.infer<typeof uslFitSchema>
export type ScalingResult = z.infer<typeof scalingResultSchema>
export type CapacityResult = z.infer<typeof capacityResultSchema>
