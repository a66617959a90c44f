import { createHash, randomBytes } from 'node:crypto'

/** RFC 6455 §1.3: the GUID the server appends to the key before hashing it into Sec-WebSocket-Accept. */
const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** The Sec-WebSocket-Accept a server must answer to `key`. */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + guid)
    .digest('base64')
}

/** A client's opening handshake (RFC 6455 §4.1), with a fresh random key, and the accept value it expects back. */
export function upgradeRequest(path: string, hostHeader: string): { bytes: Buffer; accept: string } {
  const key = randomBytes(16).toString('base64')
  const bytes = Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    'latin1',
  )
  return { bytes, accept: acceptFor(key) }
}

/**
 * The server's answer to the handshake, once its head is complete: the status, whether it accepted (101 with
 * the right Sec-WebSocket-Accept), and where the head ends (frames may follow in the same chunk). undefined
 * while the head is incomplete.
 */
export function readUpgradeResponse(
  data: Buffer,
  accept: string,
): { status: number; accepted: boolean; headEnd: number } | undefined {
  const end = data.indexOf('\r\n\r\n', 0, 'latin1')
  if (end < 0) return undefined
  const head = data.toString('latin1', 0, end)
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)
  const given = /\r\nsec-websocket-accept:[ \t]*([^\r\n]*?)[ \t]*(?:\r\n|$)/i.exec(head)?.[1]
  return { status, accepted: status === 101 && given === accept, headEnd: end + 4 }
}
