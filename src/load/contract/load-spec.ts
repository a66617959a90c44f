import { z } from 'zod'
import { engineNames, requestSchema, websocketSchema, wireProtocols } from '../../profile/schema.js'

const positiveInt = z.number().int().min(1)

/** A request of the cycle, with `endpoint`: its index in the phase's `requests` (absent: 0, the only one). */
const plannedRequestSchema = requestSchema
  .omit({ weight: true })
  .extend({ endpoint: z.number().int().min(0).optional() })

/** req/s at the start and at the end of a step (equal for a constant rate). */
const rateRampSchema = z.strictObject({ from: z.number().positive(), to: z.number().positive() })

const loadCommonShape = {
  /** Which engine sends it (see load/thread-engines.ts). */
  engine: z.enum(engineNames),
  /** http1, h2 or h2c (see load/connection-protocols.ts). */
  protocol: z.enum(wireProtocols),
  /** HTTP/2: concurrent streams per connection (1 for HTTP/1.1). */
  streams: positiveInt,
  durationMs: z.number().positive(),
  timeoutMs: z.number().positive(),
  requests: z.array(plannedRequestSchema).min(1),
  /** The phase's requests by name, when it mixes several: the engine then counts each apart (per-endpoint rows). */
  endpoints: z.array(z.string()).optional(),
  /** Generator threads the load is split over. */
  generators: positiveInt,
}
const loadCommonSchema = z.strictObject(loadCommonShape)

/** Closed loop: N connections, each sending its next request when the previous answer arrives. */
const closedLoadSpecSchema = z.strictObject({
  ...loadCommonShape,
  loop: z.literal('closed'),
  connections: positiveInt,
  pipelining: positiveInt,
  /** A new connection every this many requests. */
  churn: positiveInt.optional(),
})

/** Open loop: requests sent on a schedule of intended times, whatever the server does. */
const openLoadSpecSchema = z.strictObject({
  ...loadCommonShape,
  loop: z.literal('open'),
  rate: rateRampSchema,
  spacing: z.enum(['uniform', 'poisson']),
  maxConnections: positiveInt,
  /** Seeds the Poisson schedule (each share's seed is derived from it and the share's index: shareSeed). */
  seed: z.number().int(),
})

/**
 * WebSocket: N connections upgraded at `ramp` per second, then held for the step's duration — idle, sending
 * `messages` per second each (round trip from the intended send), or ping-pong (the next message on each echo).
 */
const websocketLoadSpecSchema = z.strictObject({
  ...loadCommonShape,
  loop: z.literal('websocket'),
  protocol: z.literal('websocket'),
  connections: positiveInt,
  websocket: websocketSchema,
})

export const loadSpecSchema = z.discriminatedUnion('loop', [
  closedLoadSpecSchema,
  openLoadSpecSchema,
  websocketLoadSpecSchema,
])

export type PlannedRequest = z.infer<typeof plannedRequestSchema>
export type LoadCommon = z.infer<typeof loadCommonSchema>
export type ClosedLoadSpec = z.infer<typeof closedLoadSpecSchema>
export type OpenLoadSpec = z.infer<typeof openLoadSpecSchema>
export type WebSocketLoadSpec = z.infer<typeof websocketLoadSpecSchema>
export type LoadSpec = z.infer<typeof loadSpecSchema>
