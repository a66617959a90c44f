import { connect } from 'node:net'
import type { ProbeResult } from './wait-ready.js'

function vars(values: Record<string, string>): Buffer {
  return Buffer.concat(
    Object.entries(values).flatMap(([key, value]) => {
      const k = Buffer.from(key)
      const v = Buffer.from(value)
      const kl = Buffer.alloc(2)
      kl.writeUInt16LE(k.length)
      const vl = Buffer.alloc(2)
      vl.writeUInt16LE(v.length)
      return [kl, k, vl, v]
    }),
  )
}

/**
 * One GET over the uwsgi protocol (what nginx's uwsgi_pass sends: a 4-byte header, then the request's vars) on a
 * fresh connection; uWSGI answers with a plain HTTP response, read until it closes. Rejects on error or timeout.
 */
export function uwsgiGet(
  target: { host: string; port: number; path: string; socket?: string | undefined },
  timeoutMs: number,
): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const [uri = '/', query = ''] = target.path.split(/\?(.*)/s)
    const body = vars({
      REQUEST_METHOD: 'GET',
      REQUEST_URI: target.path,
      PATH_INFO: uri,
      QUERY_STRING: query,
      SERVER_PROTOCOL: 'HTTP/1.1',
      SERVER_NAME: 'localhost',
      SERVER_PORT: String(target.port),
      REMOTE_ADDR: target.host,
      HTTP_HOST: 'localhost',
    })
    const header = Buffer.alloc(4)
    header.writeUInt16LE(body.length, 1) // modifier1 0 (WSGI), size, modifier2 0
    const socket = target.socket
      ? connect({ path: target.socket })
      : connect({ host: target.host, port: target.port })
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.once('error', reject)
    socket.once('connect', () => socket.write(Buffer.concat([header, body])))
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.once('end', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(text)
      if (!status) return reject(new Error('uWSGI closed the connection without an HTTP status line'))
      const headers: Record<string, string> = {}
      for (const line of text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n').slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({ status: Number(status[1]), headers })
    })
  })
}
