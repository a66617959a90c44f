import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** 32 random bytes in hex: what the other side proves the token over. */
export function newNonce(): string {
  return randomBytes(32).toString('hex')
}

/**
 * HMAC-SHA256 of a nonce with the shared token, for one role ('agent' or 'coordinator': a proof cannot be sent
 * back to the side that asked for it). The token itself never crosses the wire.
 */
export function proveToken(token: string, role: 'agent' | 'coordinator', nonce: string): string {
  return createHmac('sha256', token).update(`bench-agent/${role}/${nonce}`).digest('hex')
}

/** Whether a proof received is the one expected, compared in constant time. */
export function proofMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'hex')
  const b = Buffer.from(received, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
