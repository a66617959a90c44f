import type { PlannedRequest } from '../contract/load-spec.js'
import { connectionSpecificHeaders } from './connection-specific-headers.js'

/**
 * One request spec → its HTTP/2 frames (HEADERS, and DATA for a body), built once per step; only the stream id
 * (bytes 5–8 of each frame) changes per request. The header block uses HPACK's static table and literals
 * "without indexing" and no Huffman coding, so it is the same bytes on every stream and needs no encoder state.
 * Connection-specific headers (Host becomes :authority) are dropped, as RFC 9113 §8.2.2 requires.
 */
export interface RequestFrames {
  bytes: Buffer
  /** Where a stream id goes: the offset of each frame's stream-id field. */
  streamIdAt: number[]
}

const maxFrame = 16_384
const staticMethod: Record<string, number> = { GET: 0x82, POST: 0x83 }

/** HPACK integer with an N-bit prefix (RFC 7541 §5.1), `first` holding the representation's high bits. */
function integer(value: number, prefixBits: number, first: number): number[] {
  const max = (1 << prefixBits) - 1
  if (value < max) return [first | value]
  const out = [first | max]
  let rest = value - max
  while (rest >= 128) {
    out.push((rest % 128) + 128)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
  return out
}

function text(value: string): number[] {
  const bytes = [...Buffer.from(value, 'latin1')]
  return [...integer(bytes.length, 7, 0), ...bytes]
}

/** Literal without indexing, name from the static table (index) or given. */
function literal(name: number | string, value: string): number[] {
  return typeof name === 'number'
    ? [...integer(name, 4, 0), ...text(value)]
    : [0, ...text(name), ...text(value)]
}

function frame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9)
  head.writeUIntBE(payload.length, 0, 3)
  head[3] = type
  head[4] = flags
  return Buffer.concat([head, payload])
}

export function encodeRequestFrames(request: PlannedRequest, authority: string, tls: boolean): RequestFrames {
  const block: number[] = [
    ...(staticMethod[request.method] !== undefined
      ? [staticMethod[request.method] as number]
      : literal(2, request.method)),
    tls ? 0x87 : 0x86,
    ...(request.path === '/' ? [0x84] : literal(4, request.path)),
    ...literal(1, authority),
  ]
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase()
    if (!connectionSpecificHeaders.has(lower)) block.push(...literal(lower, value))
  }
  if (body && !Object.keys(request.headers).some((h) => h.toLowerCase() === 'content-length'))
    block.push(...literal(28, String(body.length)))
  if (block.length > maxFrame)
    throw new Error(`the request's headers exceed one HTTP/2 frame (${maxFrame} bytes)`)
  const frames = [frame(0x1, body ? 0x4 : 0x5, Buffer.from(block))] // END_HEADERS (| END_STREAM)
  for (let at = 0; body && at < body.length; at += maxFrame) {
    const last = at + maxFrame >= body.length
    frames.push(frame(0x0, last ? 0x1 : 0, body.subarray(at, at + maxFrame)))
  }
  const streamIdAt: number[] = []
  let offset = 0
  for (const f of frames) {
    streamIdAt.push(offset + 5)
    offset += f.length
  }
  return { bytes: Buffer.concat(frames), streamIdAt }
}
