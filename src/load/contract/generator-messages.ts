import { z } from 'zod'
import {
  idleOutcomeSchema,
  slowClientOutcomeSchema,
  trialSampleSchema,
} from '../../samples/sample-schemas.js'
import { loadSpecSchema } from './load-spec.js'
import { loadTargetSchema } from './load-target.js'
import { shareSchema } from './share.js'

/**
 * The messages between the orchestrator and a load generator — a worker thread today, an agent over a WebSocket
 * next: plain JSON (no class instances, no typed arrays), each checked with its schema where it is received.
 * They pass once per step and per progress tick, never per request.
 */

/** Orchestrator → generator: run this share of a step. */
export const generatorTaskSchema = z.strictObject({
  type: z.literal('task'),
  target: loadTargetSchema,
  /** The share's load: its part of the rate and connections (see splitLoad). */
  load: loadSpecSchema,
  share: shareSchema,
  /**
   * When the step starts, epoch ms in the orchestrator's clock (performance.timeOrigin + performance.now()):
   * every share schedules from it, not from when it got the task.
   */
  startAt: z.number().positive(),
  /** This share's seed (shareSeed(step seed, share index)): its Poisson schedule. */
  seed: z.number().int(),
  /** Post progress messages while running. */
  progress: z.boolean(),
})

/** Orchestrator → generator: abort the task running (its sample is still sent, cut short). */
const generatorStopSchema = z.strictObject({ type: z.literal('stop') })

/** Slow clients (see load/slow-clients.ts): how many, of which kind, how fast they trickle. */
const slowClientSpecSchema = z.strictObject({
  kind: z.enum(['slow-headers', 'slow-body', 'slow-read']),
  connections: z.number().int().min(1),
  /** How fast each slow client sends (slow-headers, slow-body) or reads (slow-read). */
  bytesPerSecond: z.number().positive(),
  path: z.string().startsWith('/'),
  /** slow-body: the Content-Length it announces and then trickles. */
  bodyBytes: z.number().int().min(1),
})

/**
 * Orchestrator → generator: hold a side load beside a step's measured load, on a generator of its own (so its
 * cost is counted as a generator's, not hidden in the orchestrator): slow clients, or an idle keep-alive crowd.
 * The generator answers ready once it is in place, and its outcome and usage after a stop.
 */
const sideTaskSchema = z.strictObject({
  type: z.literal('side'),
  target: loadTargetSchema,
  side: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('slowClients'), spec: slowClientSpecSchema }),
    z.strictObject({ kind: z.literal('idle'), connections: z.number().int().min(1) }),
  ]),
})

export const toGeneratorSchema = z.discriminatedUnion('type', [
  generatorTaskSchema,
  sideTaskSchema,
  generatorStopSchema,
])

/** How a step is going so far on one generator: what a live progress line shows. */
export const loadProgressSchema = z.strictObject({
  elapsedMs: z.number(),
  /** 2xx responses so far. */
  successes: z.number().int().min(0),
  /** Failed requests so far, every class and non-2xx status together. */
  errors: z.number().int().min(0),
  /** p99 latency so far, ms (corrected in open loop). */
  p99Ms: z.number().min(0),
})

/** Generator → orchestrator, about twice a second while a task runs (when asked). */
const generatorProgressSchema = z.strictObject({
  type: z.literal('progress'),
  progress: loadProgressSchema,
})

/**
 * What a generator spent running its share: its own thread's CPU (user + system), the time its event loop was
 * busy, and the part of that it slept on purpose to pace sends (Atomics.wait: busy for the event loop, idle for
 * the generator), over `wallMs` from the task's arrival to its reply.
 */
export const shareUsageSchema = z.strictObject({
  cpuUs: z.number().min(0),
  /**
   * thread: read from /proc/thread-self/schedstat (Linux; Node 20 has no process.threadCpuUsage). eventLoop: no
   * per-thread counter here, so the event loop's busy time stands in for CPU.
   */
  cpuSource: z.enum(['thread', 'eventLoop']),
  busyMs: z.number().min(0),
  sleptMs: z.number().min(0),
  wallMs: z.number().positive(),
})

/** Generator → orchestrator: the share's sample, and what it cost the generator. */
const generatorSampleSchema = z.strictObject({
  type: z.literal('sample'),
  sample: trialSampleSchema,
  /** When the share's measured window began, ms after startAt (0 for a schedule kept from startAt). */
  startOffsetMs: z.number(),
  /**
   * How late the share began to load, ms after startAt as its thread's event loop got to it: its first
   * connections (closed loop, WebSocket) or its first send against its intended time (open loop). What the start
   * skew of several agents is made of.
   */
  lateMs: z.number(),
  usage: shareUsageSchema,
})

/** Generator → orchestrator: the share failed; the cell fails with this message. */
const generatorErrorSchema = z.strictObject({
  type: z.literal('error'),
  message: z.string().min(1),
})

/** Generator → orchestrator: the side load is in place (the idle crowd answered; slow clients at once). */
const generatorReadySchema = z.strictObject({ type: z.literal('ready') })

/** Generator → orchestrator, after a stop: how the side load ended, and what it cost the generator. */
const sideOutcomeSchema = z.strictObject({
  type: z.literal('side-outcome'),
  slowClients: slowClientOutcomeSchema.optional(),
  idle: idleOutcomeSchema.optional(),
  usage: shareUsageSchema,
})

export const fromGeneratorSchema = z.discriminatedUnion('type', [
  generatorProgressSchema,
  generatorSampleSchema,
  generatorErrorSchema,
  generatorReadySchema,
  sideOutcomeSchema,
])

export type GeneratorTask = z.infer<typeof generatorTaskSchema>
export type ToGenerator = z.infer<typeof toGeneratorSchema>
export type SideTask = z.infer<typeof sideTaskSchema>
export type SideOutcome = z.infer<typeof sideOutcomeSchema>
export type SlowClientSpec = z.infer<typeof slowClientSpecSchema>
export type LoadProgress = z.infer<typeof loadProgressSchema>
export type ShareUsage = z.infer<typeof shareUsageSchema>
export type GeneratorSample = z.infer<typeof generatorSampleSchema>
export type FromGenerator = z.infer<typeof fromGeneratorSchema>
