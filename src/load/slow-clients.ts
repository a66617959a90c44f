import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { SlowClientOutcome } from '../results/result-set-schema.js'

export type SlowClientKind = 'slow-headers' | 'slow-body' | 'slow-read'

export interface SlowClientSpec {
  kind: SlowClientKind
  connections: number
  /** How fast each slow client sends (slow-headers, slow-body) or reads (slow-read). */
  bytesPerSecond: number
  path: string
  /** slow-body: the Content-Length it announces and then trickles. */
  bodyBytes: number
}

const tickMs = 100

/**
 * Opens a bounded crowd of slow clients — a slowloris sending headers a byte at a time, a client trickling a
 * request body, or one reading a large response slowly — and keeps them going until stopped. Each ends as
 * served (got its whole response), held (still tying up the server when stopped), closed (the server gave up
 * on it first: a timeout, 408, reset) or refused (no connection at all).
 */
export function startSlowClients(baseUrl: string, spec: SlowClientSpec): { stop(): SlowClientOutcome } {
  const url = new URL(baseUrl)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  const outcome: SlowClientOutcome = {
    kind: spec.kind,
    connections: spec.connections,
    served: 0,
    held: 0,
    closed: 0,
    refused: 0,
  }
  const clients: { socket: Socket; timer?: NodeJS.Timeout; done: boolean }[] = []
  const perTick = Math.max(1, Math.round((spec.bytesPerSecond * tickMs) / 1000))
  const interval = Math.max(tickMs, Math.round(1000 / spec.bytesPerSecond))

  for (let i = 0; i < spec.connections; i++) {
    const socket =
      url.protocol === 'https:'
        ? tlsConnect({ host, port, rejectUnauthorized: false, servername: host })
        : netConnect({ host, port })
    const client: (typeof clients)[number] = { socket, done: false }
    clients.push(client)
    let connected = false
    let received = 0
    let expected = Number.POSITIVE_INFINITY
    let head = ''
    const finish = (how: 'served' | 'closed' | 'refused') => {
      if (client.done) return
      client.done = true
      clearInterval(client.timer)
      outcome[how]++
      socket.destroy()
    }
    let headersSeen = false
    const account = (chunk: Buffer) => {
      received += chunk.length
      if (!headersSeen) {
        head += chunk.toString('latin1')
        const end = head.indexOf('\r\n\r\n')
        if (end >= 0) {
          headersSeen = true
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head.slice(0, end))
          // without a Content-Length (chunked), the response is complete only when the server ends it
          if (length) expected = end + 4 + Number(length[1])
          head = ''
        }
      }
      if (received >= expected) finish('served')
    }
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      connected = true
      const request = (method: string, extra: string) =>
        `${method} ${spec.path} HTTP/1.1\r\nHost: ${url.host}\r\n${extra}`
      if (spec.kind === 'slow-headers') {
        // never-ending headers, a few bytes at a time: the server must wait for the blank line that never comes
        const trickle = Buffer.from(`${request('GET', '')}X-Slow: ${'a'.repeat(64)}\r\n`.repeat(1000))
        let sent = 0
        client.timer = setInterval(() => {
          socket.write(trickle.subarray(sent % trickle.length, (sent % trickle.length) + perTick))
          sent += perTick
        }, interval)
      } else if (spec.kind === 'slow-body') {
        socket.write(
          request(
            'POST',
            `Content-Type: application/octet-stream\r\nContent-Length: ${spec.bodyBytes}\r\n\r\n`,
          ),
        )
        let sent = 0
        client.timer = setInterval(() => {
          const n = Math.min(perTick, spec.bodyBytes - sent)
          if (n > 0) socket.write(Buffer.alloc(n, 'x'))
          sent += n
        }, interval)
      } else {
        socket.write(request('GET', '\r\n'))
        socket.pause() // read only as fast as allowed: the kernel buffers fill and the server blocks on write
        client.timer = setInterval(() => {
          const available = Math.min(perTick, socket.readableLength)
          const chunk = available > 0 ? (socket.read(available) as Buffer | null) : null
          if (chunk) account(chunk)
        }, interval)
      }
    })
    if (spec.kind !== 'slow-read') socket.on('data', account)
    socket.on('error', () => finish(connected ? 'closed' : 'refused'))
    // a response without a length ends with the connection; otherwise an early end is the server giving up
    socket.on('end', () =>
      finish(
        !connected ? 'refused' : headersSeen && expected === Number.POSITIVE_INFINITY ? 'served' : 'closed',
      ),
    )
    socket.on('close', () => finish(connected ? 'closed' : 'refused'))
  }

  return {
    stop() {
      for (const client of clients) {
        if (!client.done) {
          client.done = true
          outcome.held++
        }
        clearInterval(client.timer)
        client.socket.destroy()
      }
      return { ...outcome }
    },
  }
}
