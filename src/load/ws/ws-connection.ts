import { randomBytes } from 'node:crypto'
import { connect as netConnect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { connect as tlsConnect } from 'node:tls'
import type { ErrorClass } from '../../samples/error-classes.js'
import type { Endpoint } from '../load-connection.js'
import { encodeClientFrame, opcodes } from './encode-client-frame.js'
import { readUpgradeResponse, upgradeRequest } from './upgrade-request.js'
import { WsFrameReader } from './ws-frame-reader.js'

/** Why an upgraded connection was lost before bench closed it. */
export type DropReason = 'reset' | 'closed' | 'timeout' | 'tooLarge' | 'protocol'

/** What a WebSocket connection tells the loop that drives it. */
export interface WsOwner {
  /** Upgraded (101, the right Sec-WebSocket-Accept), `handshakeMs` after the connect began. */
  established(c: WsConnection, handshakeMs: number): void
  /** Never upgraded: the connect failed, the upgrade went unanswered, or the server answered `status`. */
  refused(c: WsConnection, reason: ErrorClass | number): void
  /** The echo of the oldest message in flight. */
  echoed(c: WsConnection, bytes: number): void
  /** Lost after its upgrade, before the end; the messages still in flight are lost with it. */
  dropped(c: WsConnection, reason: DropReason): void
  /** Closed at the end by bench; `clean` when the server answered its close frame. */
  closed(c: WsConnection, clean: boolean): void
}

/** What every connection of a step shares: where to connect, the upgrade's path and Host, and the limits. */
export interface WsSettings {
  endpoint: Endpoint
  path: string
  hostHeader: string
  messageBytes: number
  maxMessageBytes: number
  /** An upgrade unanswered this long counts as a timeout. */
  timeoutMs: number
}

/** After bench's close frame, how long the server has to answer it before the socket is destroyed. */
const closeGraceMs = 1000

/**
 * One WebSocket client connection on a raw socket: the opening handshake, then masked binary messages of a
 * fixed payload (built once: the same frame is written for each message), the server's frames read by
 * WsFrameReader (pings answered, a close echoed), and a close handshake at the end. Messages in flight are
 * queued by their write and intended times: an echo server answers in order, so the oldest is the one answered.
 */
export class WsConnection {
  state: 'new' | 'upgrading' | 'open' | 'closing' | 'done' = 'new'
  /** Write times (performance.now()) and intended send times of the messages in flight, oldest at `head`. */
  readonly writtenAt: number[] = []
  readonly intendedAt: number[] = []
  head = 0
  private socket: Socket | undefined
  private readonly mask = randomBytes(4)
  private readonly message: Buffer
  private cleanClose = false

  constructor(
    readonly id: number,
    private readonly settings: WsSettings,
    private readonly owner: WsOwner,
  ) {
    this.message = encodeClientFrame(opcodes.binary, randomBytes(settings.messageBytes), this.mask)
  }

  get inFlight(): number {
    return this.writtenAt.length - this.head
  }

  /** The write time of the oldest message in flight, or Infinity. */
  get oldestWrittenAt(): number {
    return this.head < this.writtenAt.length
      ? (this.writtenAt[this.head] as number)
      : Number.POSITIVE_INFINITY
  }

  open(): void {
    const { endpoint, path, hostHeader, timeoutMs, maxMessageBytes } = this.settings
    const began = performance.now()
    const { bytes, accept } = upgradeRequest(path, hostHeader)
    const socket = endpoint.tls
      ? tlsConnect({
          host: endpoint.host,
          port: endpoint.port,
          rejectUnauthorized: endpoint.rejectUnauthorized,
          ALPNProtocols: ['http/1.1'],
          ...(/^[\d.:]+$/.test(endpoint.host) ? {} : { servername: endpoint.host }),
        })
      : netConnect({ host: endpoint.host, port: endpoint.port })
    this.socket = socket
    this.state = 'upgrading'
    socket.setNoDelay(true)
    let connected = false
    let head: Buffer | undefined
    const reader = new WsFrameReader(
      {
        message: (n) => this.onMessage(n),
        ping: (payload) => socket.write(encodeClientFrame(opcodes.pong, payload, this.mask)),
        close: () => this.onServerClose(),
        fault: (kind) => this.drop(kind),
      },
      maxMessageBytes,
    )
    const upgradeTimer = setTimeout(() => this.refuse('timeout'), timeoutMs)
    socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
      connected = true
      socket.write(bytes)
    })
    socket.on('data', (chunk: Buffer) => {
      if (this.state !== 'upgrading') return reader.push(chunk)
      head = head ? Buffer.concat([head, chunk]) : chunk
      const answer = readUpgradeResponse(head, accept)
      if (!answer) {
        if (head.length > 16_384) this.refuse('other')
        return
      }
      clearTimeout(upgradeTimer)
      if (!answer.accepted) {
        this.refuse(answer.status === 101 || answer.status === 0 ? 'other' : answer.status)
        return
      }
      this.state = 'open'
      this.owner.established(this, performance.now() - began)
      if (answer.headEnd < head.length) reader.push(head.subarray(answer.headEnd))
      head = undefined
    })
    socket.on('error', () => {}) // 'close' follows, with hadError
    socket.once('close', (hadError) => {
      clearTimeout(upgradeTimer)
      if (this.state === 'upgrading') this.refuse(connected ? (hadError ? 'reset' : 'other') : 'connect')
      else if (this.state === 'open') this.drop(hadError ? 'reset' : 'closed')
      else if (this.state === 'closing') this.finish()
    })
  }

  /** Writes one message; `intended` is when the schedule wanted it sent (its write time in ping-pong). */
  send(intended: number): void {
    if (this.state !== 'open') return
    const now = performance.now()
    this.writtenAt.push(now)
    this.intendedAt.push(intended)
    this.socket?.write(this.message)
  }

  /** The end of the step: a close frame (1000), then the server's answer or, after a grace period, destroy. */
  close(): void {
    if (this.state === 'open') {
      this.state = 'closing'
      const code = Buffer.from([0x03, 0xe8])
      this.socket?.write(encodeClientFrame(opcodes.close, code, this.mask))
      setTimeout(() => this.socket?.destroy(), closeGraceMs).unref()
    } else if (this.state === 'upgrading') {
      this.state = 'done'
      this.socket?.destroy()
    }
  }

  /** Takes the oldest message in flight off the queue (compacting it now and then). */
  shift(): void {
    this.head++
    if (this.head > 1024 && this.head * 2 > this.writtenAt.length) {
      this.writtenAt.splice(0, this.head)
      this.intendedAt.splice(0, this.head)
      this.head = 0
    }
  }

  /** Lost while open: the loop hears why (and counts what was in flight), then the socket goes. */
  drop(reason: DropReason): void {
    if (this.state !== 'open') return
    this.state = 'done'
    this.owner.dropped(this, reason)
    this.socket?.destroy()
  }

  private onMessage(bytes: number): void {
    if (this.state !== 'open' || this.head >= this.writtenAt.length) return // not an echo of ours
    this.owner.echoed(this, bytes)
  }

  private onServerClose(): void {
    if (this.state === 'closing') {
      this.cleanClose = true
      this.socket?.end()
    } else this.drop('closed')
  }

  private refuse(reason: ErrorClass | number): void {
    if (this.state !== 'upgrading') return
    this.state = 'done'
    this.owner.refused(this, reason)
    this.socket?.destroy()
  }

  private finish(): void {
    this.state = 'done'
    this.owner.closed(this, this.cleanClose)
  }
}
