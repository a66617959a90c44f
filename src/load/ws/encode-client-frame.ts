/** WebSocket opcodes (RFC 6455 §5.2). */
export const opcodes = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const

/**
 * One final client frame (RFC 6455 §5.2): FIN, the opcode, the payload length (7, 16 or 64 bits), the mask bit,
 * the 4-byte masking key and the masked payload. A client must mask every frame; the key here is given, so a
 * connection can build its message frame once and write the same bytes for every message (the key is random per
 * connection, not per frame: servers unmask whatever key they get; none checks that keys vary).
 */
export function encodeClientFrame(opcode: number, payload: Uint8Array, mask: Uint8Array): Buffer {
  const n = payload.length
  const lengthBytes = n < 126 ? 0 : n < 65_536 ? 2 : 8
  const frame = Buffer.allocUnsafe(2 + lengthBytes + 4 + n)
  frame[0] = 0x80 | opcode
  if (lengthBytes === 0) frame[1] = 0x80 | n
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 0x80 | 127
    frame.writeBigUInt64BE(BigInt(n), 2)
  }
  const at = 2 + lengthBytes
  frame.set(mask.subarray(0, 4), at)
  for (let i = 0; i < n; i++) frame[at + 4 + i] = (payload[i] as number) ^ (mask[i & 3] as number)
  return frame
}
