import type { ErrorClass } from '../samples/error-classes.js'

/** Where a step's connections go. */
export interface Endpoint {
  host: string
  port: number
  tls: boolean
  /** false only for bench's own stacks, whose certificate is self-signed. */
  rejectUnauthorized: boolean
}

/** Why a connection ended: cleanly (the server said Connection: close, or churn), or an error class. */
export type CloseReason = 'close' | ErrorClass

export interface ConnectionOwner {
  connected(connection: LoadConnection): void
  /** The answer to the oldest pending request. `sentAt`: when it was written; `tag`: what the owner gave send(). */
  response(
    connection: LoadConnection,
    status: number,
    bytes: number,
    request: number,
    sentAt: number,
    tag: number,
  ): void
  /** The connection is gone; the requests it still had pending can be read with drainPending() now. */
  closed(connection: LoadConnection, reason: CloseReason): void
  /** One request failed and the connection lives on (HTTP/2: the server reset its stream). */
  failed(connection: LoadConnection, reason: ErrorClass, request: number, tag: number): void
}

/**
 * What the closed and open loops drive: a connection of one protocol (HTTP/1.1 in http1/, HTTP/2 in h2/) that
 * writes pre-encoded requests, reports each answer with its write time, and holds up to `capacity` in flight
 * (HTTP/1.1: the pipelining depth, answered in order; HTTP/2: concurrent streams, answered in any order).
 */
export interface LoadConnection {
  readonly id: number
  /** Connected and not closing: requests may be written. */
  readonly ready: boolean
  /** Answers received on this connection (for churn). */
  readonly answered: number
  readonly capacity: number
  readonly pending: number
  /** The write time of the oldest unanswered request, or Infinity. */
  readonly oldestSentAt: number
  open(): void
  send(request: number, tag: number): void
  sendMany(n: number, next: () => number, tag: number): void
  drainPending(visit: (request: number, sentAt: number, tag: number) => void): void
  close(reason: CloseReason): void
}
