import { connect as netConnect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { connect as tlsConnect } from 'node:tls'
import type { SlowClientOutcome } from '../samples/sample-schemas.js'
import type { SlowClientSpec } from './contract/generator-messages.js'

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
      // bytes allowed so far at bytesPerSecond, less those already moved: exact on average at any rate
      const began = performance.now()
      let moved = 0
      const allowance = (limit: number) => {
        const n = Math.max(
          0,
          Math.min(limit, Math.floor((spec.bytesPerSecond * (performance.now() - began)) / 1000) - moved),
        )
        moved += n
        return n
      }
      const request = (method: string, extra: string) =>
        `${method} ${spec.path} HTTP/1.1\r\nHost: ${url.host}\r\n${extra}`
      if (spec.kind === 'slow-headers') {
        // never-ending headers, a few bytes at a time: the server must wait for the blank line that never comes
        const trickle = Buffer.from(`${request('GET', '')}X-Slow: ${'a'.repeat(64)}\r\n`.repeat(1000))
        client.timer = setInterval(() => {
          const from = moved % trickle.length
          const n = allowance(trickle.length - from)
          if (n > 0) socket.write(trickle.subarray(from, from + n))
        }, tickMs)
      } else if (spec.kind === 'slow-body') {
        socket.write(
          request(
            'POST',
            `Content-Type: application/octet-stream\r\nContent-Length: ${spec.bodyBytes}\r\n\r\n`,
          ),
        )
        client.timer = setInterval(() => {
          const n = allowance(spec.bodyBytes - moved)
          if (n > 0) socket.write(Buffer.alloc(n, 'x'))
        }, tickMs)
      } else {
        socket.write(request('GET', '\r\n'))
        socket.pause() // read only as fast as allowed: the kernel buffers fill and the server blocks on write
        client.timer = setInterval(() => {
          const n = allowance(socket.readableLength)
          const chunk = n > 0 ? (socket.read(n) as Buffer | null) : null
          if (chunk) account(chunk)
        }, tickMs)
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
