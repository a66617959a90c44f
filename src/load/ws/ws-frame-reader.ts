import { opcodes } from './encode-client-frame.js'

/** What a connection hears from its server's frames. */
export interface WsFrameSink {
  /** A whole text or binary message (its fragments together) of `bytes` payload. */
  message(bytes: number): void
  /** A ping, whose payload the pong must carry back. */
  ping(payload: Buffer): void
  /** A close frame, with its status code (1005 when it carries none). */
  close(code: number): void
  /** A message longer than allowed, or frames that break RFC 6455: the connection must be dropped. */
  fault(kind: 'tooLarge' | 'protocol'): void
}

/**
 * Reads the server's side of a WebSocket connection from socket chunks split anywhere (RFC 6455 §5.2): frame
 * headers of 2–14 bytes, fragmented messages, control frames between fragments. Data payloads are only
 * counted, never copied (an echo's bytes need no checking here: the length is what the load needs); control
 * payloads (at most 125 bytes) are kept for ping's pong and close's code. Once faulted it reads nothing more.
 */
export class WsFrameReader {
  private readonly header = Buffer.alloc(14)
  private headerHave = 0
  /** Payload bytes of the current frame still to come (−1: reading a header). */
  private remaining = -1
  private opcode = 0
  private fin = false
  private masked = false
  private control: Buffer | undefined
  private controlHave = 0
  /** Payload bytes of the message being assembled from its fragments, and whether one is under way. */
  private messageBytes = 0
  private fragmented = false
  private faulted = false

  constructor(
    private readonly sink: WsFrameSink,
    private readonly maxMessageBytes: number,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0
    while (at < chunk.length && !this.faulted) {
      if (this.remaining < 0) at = this.readHeader(chunk, at)
      else at = this.readPayload(chunk, at)
    }
  }

  /** The header's length once its first two bytes are in (0 until then). */
  private headerLength(): number {
    if (this.headerHave < 2) return 0
    const len7 = (this.header[1] as number) & 0x7f
    const mask = (this.header[1] as number) & 0x80 ? 4 : 0
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + mask
  }

  private readHeader(chunk: Uint8Array, at: number): number {
    while (at < chunk.length) {
      this.header[this.headerHave++] = chunk[at++] as number
      const need = this.headerLength()
      if (need !== 0 && this.headerHave === need) {
        this.startFrame()
        break
      }
    }
    return at
  }

  private startFrame(): void {
    const b0 = this.header[0] as number
    const b1 = this.header[1] as number
    this.headerHave = 0
    this.fin = (b0 & 0x80) !== 0
    this.opcode = b0 & 0x0f
    this.masked = (b1 & 0x80) !== 0
    const len7 = b1 & 0x7f
    const length =
      len7 === 126
        ? this.header.readUInt16BE(2)
        : len7 === 127
          ? Number(this.header.readBigUInt64BE(2))
          : len7
    const isControl = this.opcode >= 8
    if ((b0 & 0x70) !== 0 || this.masked || (isControl && (!this.fin || length > 125))) {
      this.fault('protocol')
      return
    }
    if (isControl) {
      if (this.opcode !== opcodes.close && this.opcode !== opcodes.ping && this.opcode !== opcodes.pong) {
        this.fault('protocol')
        return
      }
      this.control = Buffer.allocUnsafe(length)
      this.controlHave = 0
    } else {
      const continuation = this.opcode === opcodes.continuation
      if (continuation !== this.fragmented || (!continuation && this.opcode > opcodes.binary)) {
        this.fault('protocol')
        return
      }
      if (!continuation) this.messageBytes = 0
      this.messageBytes += length
      if (this.messageBytes > this.maxMessageBytes) {
        this.fault('tooLarge')
        return
      }
    }
    this.remaining = length
    if (length === 0) this.endFrame()
  }

  private readPayload(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.remaining, chunk.length - at)
    if (this.control) {
      this.control.set(chunk.subarray(at, at + take), this.controlHave)
      this.controlHave += take
    }
    this.remaining -= take
    if (this.remaining === 0) this.endFrame()
    return at + take
  }

  private endFrame(): void {
    this.remaining = -1
    const control = this.control
    this.control = undefined
    if (control) {
      if (this.opcode === opcodes.ping) this.sink.ping(control)
      else if (this.opcode === opcodes.close)
        this.sink.close(control.length >= 2 ? control.readUInt16BE(0) : 1005)
      return
    }
    this.fragmented = !this.fin
    if (this.fin) this.sink.message(this.messageBytes)
  }

  private fault(kind: 'tooLarge' | 'protocol'): void {
    this.faulted = true
    this.sink.fault(kind)
  }
}
