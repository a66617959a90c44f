import type { z } from 'zod'
import { parseMessage } from '../load/contract/parse-message.js'
import type { MessageSocket } from './ws-socket.js'

/**
 * A socket's messages in order, none lost between two reads: a handshake reads them one at a time with next(),
 * then listen() hands every later one (those already queued first) to a handler.
 */
export interface MessageInbox {
  /**
   * The next message, checked with its schema: rejects when the socket closes first, when the message is invalid
   * (naming the field), or after timeoutMs.
   */
  next<S extends z.ZodType>(schema: S, from: string, timeoutMs: number): Promise<z.infer<S>>
  listen(handler: (data: unknown) => void): void
}

export function messageInbox(socket: MessageSocket): MessageInbox {
  const queue: unknown[] = []
  let waiting: ((data: unknown) => void) | undefined
  let handler: ((data: unknown) => void) | undefined
  let closed: { code: number; reason: string } | undefined
  const closedListeners = new Set<() => void>()
  socket.onMessage((data) => {
    if (handler) handler(data)
    else if (waiting) waiting(data)
    else queue.push(data)
  })
  void socket.closed.then((how) => {
    closed = how
    for (const listener of closedListeners) listener()
  })
  return {
    next(schema, from, timeoutMs) {
      return new Promise((resolve, reject) => {
        const take = (data: unknown) => {
          finish()
          try {
            resolve(parseMessage(schema, data, from))
          } catch (error) {
            reject(error)
          }
        }
        const onClosed = () => {
          finish()
          const how = closed as { code: number; reason: string }
          reject(
            new Error(
              `${from} closed the connection (code ${how.code}${how.reason ? `: ${how.reason}` : ''})`,
            ),
          )
        }
        const finish = () => {
          clearTimeout(timer)
          waiting = undefined
          closedListeners.delete(onClosed)
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`${from} did not answer within ${Math.round(timeoutMs / 1000)} s`))
        }, timeoutMs)
        if (queue.length > 0) return take(queue.shift())
        if (closed) return onClosed()
        waiting = take
        closedListeners.add(onClosed)
      })
    },
    listen(next) {
      handler = next
      for (const data of queue.splice(0)) next(data)
    },
  }
}
