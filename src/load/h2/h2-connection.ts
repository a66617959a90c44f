import { isIP, connect as netConnect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { type TLSSocket, connect as tlsConnect } from 'node:tls'
import { classifyError } from '../classify-error.js'
import type { CloseReason, ConnectionOwner, Endpoint, LoadConnection } from '../load-connection.js'
import type { RequestFrames } from './encode-request-frames.js'
import { readStatus } from './read-status.js'

/**
 * One HTTP/2 client connection on a raw socket (h2 over TLS with ALPN, or h2c with prior knowledge), written by
 * hand because node:http2's client measured 156 µs of CPU per request on this 2-core VM (5,938 req/s against
 * nginx, where h2load did 51,748): a stream object, header objects and events per request. Here a request is its
 * pre-encoded frames with the stream id patched in, one write; answers are read frame by frame from the socket's
 * chunks, :status decoded from the header block without building headers (read-status.ts), DATA only counted.
 *
 * bench announces a header table size of 0 (so the server's HPACK dynamic table stays empty), no push, and the
 * largest flow-control windows, which it tops up as DATA arrives. It waits for the server's SETTINGS before it
 * sends, and keeps within the server's MAX_CONCURRENT_STREAMS. A stream the server resets fails alone
 * (owner.failed); GOAWAY lets the streams the server accepted finish, then closes (cleanly for NO_ERROR), and the
 * streams it did not accept are drained as lost, so the closed loop sends them again.
 */
const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')
const maxWindow = 0x7fffffff
/** SETTINGS (HEADER_TABLE_SIZE 0, ENABLE_PUSH 0, INITIAL_WINDOW_SIZE max) and the connection window raised. */
const opening = Buffer.concat([
  preface,
  Buffer.from([0, 0, 18, 0x4, 0, 0, 0, 0, 0]),
  Buffer.from([0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 4, 0x7f, 0xff, 0xff, 0xff]),
  windowUpdate(maxWindow - 65_535),
])
const settingsAck = Buffer.from([0, 0, 0, 0x4, 0x1, 0, 0, 0, 0])

function windowUpdate(increment: number): Buffer {
  const frame = Buffer.from([0, 0, 4, 0x8, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  frame.writeUInt32BE(increment, 9)
  return frame
}

const DATA = 0x0
const HEADERS = 0x1
const RST_STREAM = 0x3
const SETTINGS = 0x4
const PING = 0x6
const GOAWAY = 0x7
const END_STREAM = 0x1
const PADDED = 0x8
const PRIORITY = 0x20

/**
 * One read buffer per generator thread for plain sockets (Node's `onread`), as in HTTP/1.1. The socket set-up
 * below repeats http-connection.ts's on purpose: a shared openSocket() with the handlers passed in measured
 * 14.4 µs of CPU per request and 0.74 × h2load (bench:self h2, 3 rounds), the inline set-up 10.8 µs and 0.90 ×
 * in the run just before and 13.3 µs and 0.99 × in the run after: noisy, but nothing gained to pay for it.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024)

export class H2Connection implements LoadConnection {
  private socket: Socket | undefined
  private ended = false
  private nextStream = 1
  /** The server's MAX_CONCURRENT_STREAMS (unlimited until it says). */
  private serverMax = Number.POSITIVE_INFINITY
  /** After GOAWAY: the last stream the server accepted (-1: none came). */
  private goawayLast = -1
  /** In-flight streams: stream id → slot; per slot its request, write time, tag, status and bytes. */
  private readonly slotOf = new Map<number, number>()
  private readonly free: number[]
  private readonly slotRequest: Int32Array
  private readonly slotSentAt: Float64Array
  private readonly slotTag: Float64Array
  private readonly slotStatus: Int32Array
  private readonly slotBytes: Float64Array
  /** Frame reader: the 9-byte header being read, then the payload (buffered for all but DATA). */
  private readonly head = Buffer.alloc(9)
  private headHave = 0
  private payload = Buffer.allocUnsafe(16_384 + 9)
  private payloadHave = 0
  /** -1 while a frame header is being read. */
  private frameLength = -1
  private frameType = 0
  private frameFlags = 0
  private frameStream = 0
  private received = 0
  ready = false
  answered = 0

  constructor(
    readonly id: number,
    private readonly endpoint: Endpoint,
    private readonly requests: readonly RequestFrames[],
    private readonly owner: ConnectionOwner,
    private readonly streams: number,
  ) {
    this.free = Array.from({ length: streams }, (_, i) => streams - 1 - i)
    this.slotRequest = new Int32Array(streams)
    this.slotSentAt = new Float64Array(streams)
    this.slotTag = new Float64Array(streams)
    this.slotStatus = new Int32Array(streams)
    this.slotBytes = new Float64Array(streams)
  }

  get capacity(): number {
    return Math.min(this.streams, this.serverMax)
  }

  get pending(): number {
    return this.slotOf.size
  }

  get oldestSentAt(): number {
    let oldest = Number.POSITIVE_INFINITY
    for (const slot of this.slotOf.values()) oldest = Math.min(oldest, this.slotSentAt[slot] as number)
    return oldest
  }

  open(): void {
    const { host, port } = this.endpoint
    this.ended = false
    this.ready = false
    this.goawayLast = -1
    this.nextStream = 1
    this.serverMax = Number.POSITIVE_INFINITY
    this.answered = 0
    this.headHave = 0
    this.payloadHave = 0
    this.frameLength = -1
    this.received = 0
    let socket: Socket
    const current = () => this.socket === socket
    if (this.endpoint.tls) {
      const tls: TLSSocket = tlsConnect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: this.endpoint.rejectUnauthorized,
        ALPNProtocols: ['h2'],
      })
      socket = tls
      tls.on('data', (chunk: Buffer) => current() && this.onData(chunk, chunk.length))
      tls.once('secureConnect', () => {
        if (!current()) return
        if (tls.alpnProtocol !== 'h2')
          this.end('other') // the server did not agree to HTTP/2
        else this.onConnect()
      })
    } else {
      socket = netConnect({
        host,
        port,
        noDelay: true,
        onread: {
          buffer: readBuffer,
          callback: (n: number, buffer: Uint8Array) => !current() || this.onData(buffer, n),
        },
      })
      socket.once('connect', () => current() && this.onConnect())
    }
    socket.setNoDelay(true)
    socket.on('end', () => current() && this.end(this.slotOf.size > 0 ? 'reset' : 'close'))
    socket.on(
      'error',
      (error: NodeJS.ErrnoException) => current() && this.end(this.ready ? classifyError(error) : 'connect'),
    )
    socket.on('close', () => current() && this.end('reset'))
    this.socket = socket
  }

  send(request: number, tag: number): void {
    const slot = this.free.pop()
    if (slot === undefined || !this.socket) return
    const stream = this.nextStream
    this.nextStream += 2
    const frames = this.requests[request] as RequestFrames
    const bytes = Buffer.allocUnsafe(frames.bytes.length) // written asynchronously: a copy per request
    frames.bytes.copy(bytes)
    for (const at of frames.streamIdAt) bytes.writeUInt32BE(stream, at)
    this.slotOf.set(stream, slot)
    this.slotRequest[slot] = request
    this.slotTag[slot] = tag
    this.slotStatus[slot] = 0
    this.slotBytes[slot] = 0
    this.slotSentAt[slot] = performance.now()
    this.socket.write(bytes)
  }

  sendMany(n: number, next: () => number, tag: number): void {
    this.socket?.cork()
    for (let i = 0; i < n && this.free.length > 0; i++) this.send(next(), tag)
    this.socket?.uncork()
  }

  drainPending(visit: (request: number, sentAt: number, tag: number) => void): void {
    for (const slot of this.slotOf.values()) {
      this.free.push(slot)
      visit(this.slotRequest[slot] as number, this.slotSentAt[slot] as number, this.slotTag[slot] as number)
    }
    this.slotOf.clear()
  }

  close(reason: CloseReason): void {
    this.end(reason)
  }

  private onConnect(): void {
    if (this.ended) return
    this.socket?.write(opening) // ready once the server's SETTINGS arrive
  }

  /** Returns true: keep reading. */
  private onData(buffer: Uint8Array, n: number): boolean {
    let at = 0
    while (at < n && !this.ended) {
      if (this.frameLength < 0) {
        const take = Math.min(9 - this.headHave, n - at)
        for (let i = 0; i < take; i++) this.head[this.headHave + i] = buffer[at + i] as number
        this.headHave += take
        at += take
        if (this.headHave < 9) break
        this.headHave = 0
        this.frameLength = this.head.readUIntBE(0, 3)
        this.frameType = this.head[3] as number
        this.frameFlags = this.head[4] as number
        this.frameStream = this.head.readUInt32BE(5) & 0x7fffffff
        this.payloadHave = 0
        if (this.frameLength > this.payload.length) this.payload = Buffer.allocUnsafe(this.frameLength)
      }
      const take = Math.min(this.frameLength - this.payloadHave, n - at)
      if (this.frameType !== DATA)
        for (let i = 0; i < take; i++) this.payload[this.payloadHave + i] = buffer[at + i] as number
      this.payloadHave += take
      at += take
      if (this.payloadHave < this.frameLength) break
      this.frameLength = -1
      this.onFrame()
    }
    return true
  }

  private onFrame(): void {
    const length = this.payloadHave
    const stream = this.frameStream
    switch (this.frameType) {
      case DATA: {
        this.received += length
        if (this.received >= 1 << 30) {
          this.socket?.write(windowUpdate(this.received)) // the connection window; streams' never run out
          this.received = 0
        }
        const slot = this.slotOf.get(stream)
        if (slot === undefined) return
        this.slotBytes[slot] = (this.slotBytes[slot] as number) + length
        if (this.frameFlags & END_STREAM) this.complete(stream, slot)
        return
      }
      case HEADERS: {
        const slot = this.slotOf.get(stream)
        if (slot === undefined) return
        this.slotBytes[slot] = (this.slotBytes[slot] as number) + length
        if (this.slotStatus[slot] === 0 || (this.slotStatus[slot] as number) < 200) {
          let start = 0
          let end = length
          if (this.frameFlags & PADDED) {
            end -= this.payload[0] as number
            start = 1
          }
          if (this.frameFlags & PRIORITY) start += 5
          const status = readStatus(this.payload, start, end)
          if (status < 0) {
            this.end('other')
            return
          }
          this.slotStatus[slot] = status
        }
        // trailers, or a body-less answer; a 1xx answer (no END_STREAM) waits for the final one
        if (this.frameFlags & END_STREAM) this.complete(stream, slot)
        return
      }
      case RST_STREAM: {
        const slot = this.slotOf.get(stream)
        if (slot === undefined) return
        this.slotOf.delete(stream)
        this.free.push(slot)
        this.owner.failed(this, 'streamReset', this.slotRequest[slot] as number, this.slotTag[slot] as number)
        return
      }
      case SETTINGS: {
        if (this.frameFlags & 0x1) return // the ACK of ours
        for (let i = 0; i + 6 <= length; i += 6)
          if (this.payload.readUInt16BE(i) === 3) this.serverMax = this.payload.readUInt32BE(i + 2)
        this.socket?.write(settingsAck)
        if (!this.ready && this.goawayLast < 0) {
          this.ready = true
          this.owner.connected(this)
        }
        return
      }
      case PING: {
        if (this.frameFlags & 0x1 || length !== 8) return
        const pong = Buffer.allocUnsafe(17)
        pong.set([0, 0, 8, PING, 0x1, 0, 0, 0, 0])
        this.payload.copy(pong, 9, 0, 8)
        this.socket?.write(pong)
        return
      }
      case GOAWAY: {
        this.ready = false
        this.goawayLast = this.payload.readUInt32BE(0) & 0x7fffffff
        if (this.payload.readUInt32BE(4) !== 0) {
          this.end('goaway') // an error code: the streams in flight fail as goaway
          return
        }
        // streams the server never took are lost, not failed: drained at the end for the owner to send again
        if (!this.awaitsAccepted()) this.end('close')
        return
      }
      default: // PRIORITY, PUSH_PROMISE (refused by ENABLE_PUSH 0), WINDOW_UPDATE, CONTINUATION: nothing to do
    }
  }

  private complete(stream: number, slot: number): void {
    this.slotOf.delete(stream)
    this.free.push(slot)
    this.answered++
    this.owner.response(
      this,
      this.slotStatus[slot] as number,
      this.slotBytes[slot] as number,
      this.slotRequest[slot] as number,
      this.slotSentAt[slot] as number,
      this.slotTag[slot] as number,
    )
    if (this.goawayLast >= 0 && !this.awaitsAccepted()) this.end('close')
  }

  /** After GOAWAY: whether a stream the server accepted is still unanswered. */
  private awaitsAccepted(): boolean {
    for (const stream of this.slotOf.keys()) if (stream <= this.goawayLast) return true
    return false
  }

  private end(reason: CloseReason): void {
    if (this.ended) return
    this.ended = true
    this.ready = false
    this.socket?.destroy()
    this.socket = undefined
    this.owner.closed(this, reason)
  }
}
