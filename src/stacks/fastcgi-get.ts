import { connect } from 'node:net'
import type { ProbeResult } from './wait-ready.js'

const version = 1
const type = { beginRequest: 1, endRequest: 3, params: 4, stdin: 5, stdout: 6 } as const
const requestId = 1
const responder = 1

function record(kind: number, content: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt8(version, 0)
  header.writeUInt8(kind, 1)
  header.writeUInt16BE(requestId, 2)
  header.writeUInt16BE(content.length, 4)
  return Buffer.concat([header, content])
}

function length(n: number): Buffer {
  if (n < 128) return Buffer.from([n])
  const b = Buffer.alloc(4)
  b.writeUInt32BE((n | 0x80000000) >>> 0, 0)
  return b
}

function params(values: Record<string, string>): Buffer {
  return Buffer.concat(
    Object.entries(values).flatMap(([name, value]) => [
      length(Buffer.byteLength(name)),
      length(Buffer.byteLength(value)),
      Buffer.from(name),
      Buffer.from(value),
    ]),
  )
}

export interface FastcgiRequest {
  host: string
  port: number
  /** Path and query, e.g. /health?x=1. */
  path: string
  /** SCRIPT_FILENAME: the script the pool runs. */
  script: string
  /** A Unix socket to connect to instead of host:port. */
  socket?: string | undefined
}

/**
 * One FastCGI GET (responder role) on a fresh connection, as nginx's fastcgi_pass sends it; the status is read
 * from the script's Status header (200 without one). Rejects on error, timeout or a reply that ends early.
 */
export function fastcgiGet(request: FastcgiRequest, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const [uri = '/', query = ''] = request.path.split(/\?(.*)/s)
    const begin = Buffer.alloc(8)
    begin.writeUInt16BE(responder, 0)
    const body = params({
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: 'GET',
      SCRIPT_FILENAME: request.script,
      SCRIPT_NAME: uri,
      REQUEST_URI: request.path,
      DOCUMENT_URI: uri,
      QUERY_STRING: query,
      SERVER_NAME: 'localhost',
      SERVER_ADDR: request.host,
      SERVER_PORT: String(request.port),
      REMOTE_ADDR: request.host,
      CONTENT_LENGTH: '0',
      HTTP_HOST: 'localhost',
    })
    const socket = request.socket
      ? connect({ path: request.socket })
      : connect({ host: request.host, port: request.port })
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.once('error', reject)
    socket.once('connect', () =>
      socket.write(
        Buffer.concat([
          record(type.beginRequest, begin),
          record(type.params, body),
          record(type.params),
          record(type.stdin),
        ]),
      ),
    )
    let pending = Buffer.alloc(0)
    const stdout: Buffer[] = []
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 8) {
        const size = 8 + pending.readUInt16BE(4) + pending.readUInt8(6)
        if (pending.length < size) return
        const kind = pending.readUInt8(1)
        const content = pending.subarray(8, 8 + pending.readUInt16BE(4))
        pending = pending.subarray(size)
        if (kind === type.stdout) stdout.push(content)
        if (kind === type.endRequest) {
          socket.destroy()
          const text = Buffer.concat(stdout).toString('latin1')
          const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')))
          const headers: Record<string, string> = {}
          for (const line of head.split('\r\n')) {
            const colon = line.indexOf(':')
            if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
          }
          resolve({ status: Number.parseInt(headers.status ?? '200', 10), headers })
          return
        }
      }
    })
    socket.once('end', () => reject(new Error('the FastCGI reply ended before its END_REQUEST record')))
  })
}
