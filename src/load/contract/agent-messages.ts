import { z } from 'zod'
import { trialSampleSchema } from '../../samples/sample-schemas.js'
import { generatorTaskSchema, loadProgressSchema, shareUsageSchema } from './generator-messages.js'

/**
 * The messages between the coordinator and a `bench agent`, over one WebSocket the agent dials: plain JSON, each
 * checked with its schema where it is received (parseMessage names the field at fault). They pass a few times per
 * step (the task, at most 4 progress messages a second, the sample), never per request.
 *
 * Authentication is mutual, by HMAC-SHA256 of a random nonce with the shared token (the token never crosses the
 * wire): the agent says hello with its nonce; the coordinator proves it knows the token over that nonce and sends
 * its own; the agent checks the proof (a rogue coordinator cannot direct it) and answers over the coordinator's.
 */

const nonceSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 32 random bytes in hex')
const proofSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected an HMAC-SHA256 in hex')

/** Agent → coordinator, first: who it is and the nonce the coordinator must prove the token over. */
const helloSchema = z.strictObject({
  type: z.literal('hello'),
  name: z.string().min(1).max(100),
  /** Its place among the agents (Kubernetes: JOB_COMPLETION_INDEX); absent: the coordinator gives the lowest free. */
  index: z.number().int().min(0).optional(),
  /** bench's version: the coordinator refuses another (the load contract may differ). */
  version: z.string(),
  /** Its machine's CPUs: what it can run threads on. */
  cpus: z.number().int().min(1),
  nonce: nonceSchema,
})

/** Coordinator → agent: its proof over the agent's nonce, and its own nonce for the agent to prove the token over. */
const challengeSchema = z.strictObject({
  type: z.literal('challenge'),
  proof: proofSchema,
  nonce: nonceSchema,
})

/** Agent → coordinator: its proof over the coordinator's nonce. */
const responseSchema = z.strictObject({ type: z.literal('response'), proof: proofSchema })

/** Coordinator → agent: accepted, with its index and the number of agents of the run. */
const welcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  index: z.number().int().min(0),
  of: z.number().int().min(1),
})

/** Coordinator → agent: not accepted (wrong token, another version, an index taken); the agent exits 2. */
const refusedSchema = z.strictObject({ type: z.literal('refused'), reason: z.string().min(1) })

/** Coordinator → agent: what time is it? `id` pairs the answer with the question. */
const pingSchema = z.strictObject({ type: z.literal('ping'), id: z.number().int().min(0) })

/** Agent → coordinator: its clock (epoch ms) when it read the ping. */
const pongSchema = z.strictObject({ type: z.literal('pong'), id: z.number().int().min(0), at: z.number() })

/**
 * Coordinator → agent: run this step. `task` is the generator task of the agent's whole share (its `share` is the
 * agent's place among the agents, `startAt` already in the agent's clock); the agent splits it again over
 * `task.load.generators` threads of its own within that share, so threads per agent = generators.
 */
const agentTaskSchema = z.strictObject({
  type: z.literal('task'),
  step: z.number().int().min(0),
  task: generatorTaskSchema,
})

/** Coordinator → agent: abort the step running (its sample is still sent, cut short). */
const agentStopSchema = z.strictObject({ type: z.literal('stop'), step: z.number().int().min(0) })

/** Coordinator → agent: the run is over; the agent exits 0. */
const doneSchema = z.strictObject({ type: z.literal('done') })

/** Agent → coordinator, at most 4 a second while a step runs: its threads together. */
const agentProgressSchema = z.strictObject({
  type: z.literal('progress'),
  step: z.number().int().min(0),
  progress: loadProgressSchema,
})

/** One of the agent's threads over the step: what it cost. */
const threadUsageSchema = z.strictObject({ name: z.string(), usage: shareUsageSchema })

/**
 * Agent → coordinator: the step's sample of the agent's threads, merged (HDR histograms compressed), what each
 * thread spent, when its window began (ms after startAt) and when it actually started (epoch ms, its clock: startAt
 * plus its latest thread's lateMs).
 */
const agentSampleSchema = z.strictObject({
  type: z.literal('sample'),
  step: z.number().int().min(0),
  sample: trialSampleSchema,
  startOffsetMs: z.number(),
  startedAt: z.number(),
  threads: z.array(threadUsageSchema).min(1),
})

/** Agent → coordinator: the step failed there (or the agent refused it: a target off its allowed networks). */
const agentErrorSchema = z.strictObject({
  type: z.literal('error'),
  step: z.number().int().min(0).optional(),
  message: z.string().min(1),
})

export const toAgentSchema = z.discriminatedUnion('type', [
  challengeSchema,
  welcomeSchema,
  refusedSchema,
  pingSchema,
  agentTaskSchema,
  agentStopSchema,
  doneSchema,
])

export const fromAgentSchema = z.discriminatedUnion('type', [
  helloSchema,
  responseSchema,
  pongSchema,
  agentProgressSchema,
  agentSampleSchema,
  agentErrorSchema,
])

export type ToAgent = z.infer<typeof toAgentSchema>
export type FromAgent = z.infer<typeof fromAgentSchema>
export type AgentTask = z.infer<typeof agentTaskSchema>
export type AgentSample = z.infer<typeof agentSampleSchema>
