import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { IdleOutcome } from '../samples/sample-schemas.js'

/**
 * A crowd of keep-alive connections that each send one request, read the answer and then sit idle — what
 * thousands of browsers between clicks cost a server in memory. `ready` settles once every connection has had
 * its answer (or 10 s passed); held until stopped; the server closing one early (its keep-alive timeout, a
 * connection limit) counts as closed.
 */
export function startIdleConnections(
  baseUrl: string,
  connections: number,
): { ready: Promise<void>; stop(): IdleOutcome } {
  const url = new URL(baseUrl)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  const outcome: IdleOutcome = { connections, opened: 0, closed: 0 }
  const sockets: Socket[] = []
  let stopped = false
  let settled = 0
  let allSettled = () => {}
  const ready = new Promise<void>((resolve) => {
    allSettled = resolve
    setTimeout(resolve, 10_000).unref() // the crowd is as big as it got by then
  })
  const settle = () => {
    if (++settled === connections) allSettled()
  }
  for (let i = 0; i < connections; i++) {
    const socket =
      url.protocol === 'https:'
        ? tlsConnect({ host, port, rejectUnauthorized: false, servername: host })
        : netConnect({ host, port })
    sockets.push(socket)
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      outcome.opened++
      socket.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`)
    })
    let answered = false
    socket.on('data', () => {
      // read the one answer, then nothing more comes
      if (!answered) settle()
      answered = true
    })
    socket.once('close', () => {
      if (!answered) settle()
      answered = true
      if (!stopped) outcome.closed++
    })
    socket.on('error', () => {})
  }
  return {
    ready,
    stop() {
      stopped = true
      for (const socket of sockets) socket.destroy()
      return { ...outcome }
    },
  }
}
