import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

/** The largest message either side accepts: a step's sample is a few tens of KB. */
const maxPayload = 16 * 1024 * 1024

/** One WebSocket carrying JSON messages: the only face of the `ws` package the agents code sees. */
export interface MessageSocket {
  /** The peer's address (IP, as the socket sees it). */
  readonly address: string
  send(message: unknown): void
  /** Every message, parsed from JSON (text that is not JSON arrives as the string itself); returns unsubscribe. */
  onMessage(listener: (data: unknown) => void): () => void
  /** Settles when the socket closes, for whatever reason. */
  readonly closed: Promise<{ code: number; reason: string }>
  close(code?: number, reason?: string): void
  /** Closes at once, without the closing handshake. */
  terminate(): void
}

/**
 * Each side pings the other this often (WebSocket pings, answered by the peer's library): a peer that answered
 * none of the last three is gone (a machine down, a network cut that sends no FIN), and its socket is closed.
 */
const heartbeatMs = 5000

function wrap(ws: WebSocket, address: string): MessageSocket {
  let answered = 0
  ws.on('pong', () => {
    answered = 0
  })
  const heartbeat = setInterval(() => {
    if (++answered > 3) ws.terminate()
    else ws.ping()
  }, heartbeatMs)
  heartbeat.unref()
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      clearInterval(heartbeat)
      resolve({ code, reason: reason.toString() })
    })
  })
  ws.on('error', () => {}) // a close follows every error
  return {
    address,
    closed,
    send(message) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
    },
    onMessage(listener) {
      const onData = (data: Buffer) => {
        const text = data.toString('utf8')
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = text
        }
        listener(parsed)
      }
      ws.on('message', onData)
      return () => ws.off('message', onData)
    },
    close(code = 1000, reason = '') {
      ws.close(code, reason)
    },
    terminate() {
      ws.terminate()
    },
  }
}

/** Dials ws://host:port/ once: resolves when open, rejects with the connect error (ECONNREFUSED, a timeout). */
export function dialSocket(host: string, port: number, timeoutMs: number): Promise<MessageSocket> {
  return new Promise((resolve, reject) => {
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}/`
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload, perMessageDeflate: false })
    const onError = (error: Error) => {
      ws.terminate()
      reject(error)
    }
    ws.once('error', onError)
    ws.once('open', () => {
      ws.off('error', onError)
      resolve(wrap(ws, host))
    })
  })
}

/** A WebSocket server listening on host:port, handing each new socket to onSocket. */
export interface SocketServer {
  port: number
  close(): Promise<void>
}

export function listenSockets(
  host: string,
  port: number,
  onSocket: (socket: MessageSocket) => void,
): Promise<SocketServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host, port, maxPayload, perMessageDeflate: false })
    const sockets = new Set<WebSocket>()
    server.once('error', reject)
    server.on('connection', (ws, request) => {
      sockets.add(ws)
      ws.once('close', () => sockets.delete(ws))
      onSocket(wrap(ws, request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown'))
    })
    server.once('listening', () => {
      server.off('error', reject)
      server.on('error', () => {})
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of sockets) ws.terminate()
            server.close(() => done())
          }),
      })
    })
  })
}
