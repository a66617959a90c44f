import { z } from 'zod'

export const errorCountsSchema = z.object({
  connect: z.number().int(),
  timeout: z.number().int(),
  reset: z.number().int(),
  /** HTTP/2: a stream the server reset (RST_STREAM), the connection going on. */
  streamReset: z.number().int().default(0),
  /** HTTP/2: requests in flight on a connection the server ended with an error (GOAWAY with an error code). */
  goaway: z.number().int().default(0),
  other: z.number().int(),
  /** Responses outside 2xx, by status code. */
  status: z.record(z.string(), z.number().int()),
})

/** What an open-loop step adds: the schedule it kept and the latency its users would have seen. */
export const openLoopSampleSchema = z.object({
  /** Mean req/s the schedule offered over the step. */
  targetRate: z.number(),
  /** Requests sent (the schedule's length, less any cut short by an abort). */
  sent: z.number().int(),
  /** Requests due while every connection was busy: they waited for one (their wait counts in corrected latency). */
  blocked: z.number().int(),
  /** Latency of 2xx responses from each request's intended send time (coordinated omission corrected), µs HDR. */
  correctedHistogram: z.string(),
  /** How late the generator dispatched each request against its intended time, µs HDR. */
  sendLagHistogram: z.string(),
  /** 2xx responses completed in each second of the step. */
  timeline: z.array(z.number().int()),
})

/** One generator (a thread now, an agent's thread next) over a step: its own CPU and how busy it was. */
const generatorShareUsageSchema = z.object({
  /** "thread 2", "slow clients": what the verdict names when this one is the busiest. */
  name: z.string(),
  /** Its own thread's CPU (user + system) over the step, % of one core. */
  cpuPercent: z.number(),
  /** Event-loop busy time less the time it slept to pace sends, ÷ the step's wall time (0–1). */
  busy: z.number(),
})

/** One `bench agent` over a step: what it sent, what its threads spent, and when it actually started. */
const agentStepUsageSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  /** Requests completed (2xx and errors). */
  requests: z.number().int(),
  /** Its threads' CPU added up, % of one core. */
  cpuPercent: z.number(),
  /** Its actual start, ms after the step's common start (coordinator's clock, its offset undone). */
  startMs: z.number(),
})

/** How busy the load generator itself was: a busy generator measures itself, not the stack. */
export const generatorUsageSchema = z.object({
  threads: z.number().int(),
  /**
   * CPU over the step, % of one core (can exceed 100 with several threads): the generator threads' own CPU added
   * up (results written before each generator reported its own: the whole bench process's).
   */
  cpuPercent: z.number(),
  /** Highest busy share (0–1) among the generators (older results: event-loop utilisation of the busiest thread). */
  eventLoopUtilization: z.number(),
  /** Each generator apart, slow clients and the idle crowd included (absent in older results). */
  generators: z.array(generatorShareUsageSchema).optional(),
  /** Load from several machines (--agents): each agent over the step (absent without agents). */
  agents: z.array(agentStepUsageSchema).optional(),
  /** Load from several machines: the latest agent's actual start less the earliest's, ms (coordinator's clock). */
  startSkewMs: z.number().optional(),
})

/** One of a phase's mixed requests, counted apart (closed loop: latency from the write; open: from the intended send). */
export const endpointSampleSchema = z.object({
  /** "GET /db": method and path (see plan/expand-request-mix.ts endpointLabels). */
  name: z.string(),
  successes: z.number().int(),
  /** Failed requests sent to it (connect errors belong to no request, so they are only in the step's counts). */
  errors: errorCountsSchema,
  histogram: z.string(),
})

/**
 * What a WebSocket step adds (its messages are the sample's successes and histogram): how its connections went.
 * Failed upgrades are counted by class and status in `refused`; a connection lost after its upgrade (the server
 * closed or reset it, a message timed out, or a message came larger than maxMessageBytes) is `dropped`.
 */
const websocketSampleSchema = z.object({
  connections: z.number().int(),
  /** Upgrades answered 101 with the right Sec-WebSocket-Accept. */
  established: z.number().int(),
  refused: errorCountsSchema,
  dropped: z.number().int(),
  /** Messages from the server larger than maxMessageBytes (each also drops its connection). */
  tooLarge: z.number().int(),
  /** Connect + upgrade of each established connection, µs HDR. */
  handshakeHistogram: z.string(),
  /** Still open at the end and closed by bench with a close frame that the server answered. */
  closedCleanly: z.number().int(),
})

export const trialSampleSchema = z.object({
  /** 2xx responses: throughput counts only these. */
  successes: z.number().int(),
  /** Response bytes of the 2xx responses. */
  bytes: z.number(),
  /** Measured wall-clock duration of the load, from the first connection to the last response. */
  durationMs: z.number(),
  errors: errorCountsSchema,
  /** Latency of the 2xx responses from the actual send, in µs: an HDR histogram, compressed base64. */
  histogram: z.string(),
  open: openLoopSampleSchema.optional(),
  generator: generatorUsageSchema.optional(),
  /** A phase that mixes several requests: each counted apart. */
  endpoints: z.array(endpointSampleSchema).optional(),
  websocket: websocketSampleSchema.optional(),
})

/** How a step's slow clients ended (see load/slow-clients.ts). */
export const slowClientOutcomeSchema = z.object({
  kind: z.enum(['slow-headers', 'slow-body', 'slow-read']),
  connections: z.number().int(),
  /** Got their whole response. */
  served: z.number().int(),
  /** Still tying up the server when the step ended. */
  held: z.number().int(),
  /** The server gave up on them first (timeout, 408, reset). */
  closed: z.number().int(),
  /** Never connected. */
  refused: z.number().int(),
})

/** The idle keep-alive crowd of a step: how many connections opened, and how many the server closed early. */
export const idleOutcomeSchema = z.object({
  connections: z.number().int(),
  opened: z.number().int(),
  closed: z.number().int(),
})

/** Percentiles of a merged latency histogram, in ms. */
export const latencySummarySchema = z.object({
  count: z.number().int(),
  /** Milliseconds. */
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
  mean: z.number(),
})

export type LatencySummary = z.infer<typeof latencySummarySchema>
export type ErrorCounts = z.infer<typeof errorCountsSchema>
export type TrialSample = z.infer<typeof trialSampleSchema>
export type EndpointSample = z.infer<typeof endpointSampleSchema>
export type OpenLoopSample = z.infer<typeof openLoopSampleSchema>
export type GeneratorUsage = z.infer<typeof generatorUsageSchema>
export type GeneratorShareUsage = z.infer<typeof generatorShareUsageSchema>
export type SlowClientOutcome = z.infer<typeof slowClientOutcomeSchema>
export type IdleOutcome = z.infer<typeof idleOutcomeSchema>
