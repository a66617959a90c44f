import { isIP, connect as netConnect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { connect as tlsConnect } from 'node:tls'
import { classifyError } from '../classify-error.js'
import type { CloseReason, ConnectionOwner, Endpoint, LoadConnection } from '../load-connection.js'
import { ResponseParser, type ResponseSink } from './response-parser.js'

/** One 64 KB read buffer per generator thread: every socket reads into it (Node's `onread`), nothing allocated. */
const readBuffer = Buffer.allocUnsafe(64 * 1024)

/**
 * One HTTP/1.1 client connection on a raw socket: writes pre-serialised requests, parses the answers with
 * ResponseParser and reports each to its owner with the request's write time. Pending requests sit in a small
 * ring of typed arrays (pipelining depth), so the per-request path allocates nothing.
 */
export class HttpConnection implements ResponseSink, LoadConnection {
  private socket: Socket | undefined
  private readonly parser = new ResponseParser(this)
  private readonly ringRequest: Int32Array
  private readonly ringSentAt: Float64Array
  private readonly ringTag: Float64Array
  private head = 0
  private count = 0
  private ended = false
  /** Connected and not closing: requests may be written. */
  ready = false
  /** Responses received on this connection (for churn). */
  answered = 0
  /** The owner's index for this connection. */
  readonly id: number

  constructor(
    id: number,
    private readonly endpoint: Endpoint,
    private readonly requests: readonly Buffer[],
    private readonly heads: readonly boolean[],
    private readonly owner: ConnectionOwner,
    depth: number,
  ) {
    this.id = id
    this.ringRequest = new Int32Array(depth)
    this.ringSentAt = new Float64Array(depth)
    this.ringTag = new Float64Array(depth)
  }

  /** Requests it can have in flight: the pipelining depth. */
  get capacity(): number {
    return this.ringRequest.length
  }

  get pending(): number {
    return this.count
  }

  /** The write time of the oldest unanswered request, or Infinity. */
  get oldestSentAt(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : (this.ringSentAt[this.head] as number)
  }

  /** Opens the socket; `connected` follows, or `closed` with 'connect'. */
  open(): void {
    const { host, port } = this.endpoint
    this.parser.reset()
    this.head = 0
    this.count = 0
    this.answered = 0
    this.ended = false
    this.ready = false
    let socket: Socket
    // events of a socket this connection has since replaced (a reconnect) are ignored
    const current = () => this.socket === socket
    if (this.endpoint.tls) {
      socket = tlsConnect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }), // SNI carries names only (RFC 6066)
        rejectUnauthorized: this.endpoint.rejectUnauthorized,
        ALPNProtocols: ['http/1.1'],
      })
      socket.on('data', (chunk: Buffer) => current() && this.onData(chunk, chunk.length))
      socket.once('secureConnect', () => current() && this.onConnect())
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
    socket.on('end', () => current() && this.onEnd())
    socket.on(
      'error',
      (error: NodeJS.ErrnoException) => current() && this.end(this.ready ? classifyError(error) : 'connect'),
    )
    socket.on('close', () => current() && this.end('reset'))
    this.socket = socket
  }

  /** Writes request `request` (an index into the step's requests); its clock starts now. */
  send(request: number, tag: number): void {
    const slot = (this.head + this.count) % this.ringRequest.length
    this.ringRequest[slot] = request
    this.ringTag[slot] = tag
    this.ringSentAt[slot] = performance.now()
    this.count++
    this.socket?.write(this.requests[request] as Buffer)
  }

  /** Several requests in one write (pipelining); `next` gives each request index. */
  sendMany(n: number, next: () => number, tag: number): void {
    this.socket?.cork()
    for (let i = 0; i < n; i++) this.send(next(), tag)
    this.socket?.uncork()
  }

  /** Hands each unanswered request to `visit` and forgets them. */
  drainPending(visit: (request: number, sentAt: number, tag: number) => void): void {
    while (this.count > 0) {
      const slot = this.head
      this.head = (this.head + 1) % this.ringRequest.length
      this.count--
      visit(this.ringRequest[slot] as number, this.ringSentAt[slot] as number, this.ringTag[slot] as number)
    }
  }

  /** Closes the connection on our side; `closed` follows with `reason`. */
  close(reason: CloseReason): void {
    this.end(reason)
  }

  answersHead(): boolean {
    return this.count > 0 && (this.heads[this.ringRequest[this.head] as number] ?? false)
  }

  onResponse(status: number, bytes: number, close: boolean): void {
    if (this.count === 0) {
      this.end('other') // an answer nobody asked for
      return
    }
    const slot = this.head
    this.head = (this.head + 1) % this.ringRequest.length
    this.count--
    this.answered++
    if (close) this.ready = false // no more requests on this one
    this.owner.response(
      this,
      status,
      bytes,
      this.ringRequest[slot] as number,
      this.ringSentAt[slot] as number,
      this.ringTag[slot] as number,
    )
    if (close) this.end('close')
  }

  private onConnect(): void {
    if (this.ended) return
    this.ready = true
    this.owner.connected(this)
  }

  /** Returns true: keep reading (Node's onread pauses the socket on false). */
  private onData(buffer: Uint8Array, n: number): boolean {
    if (this.ended) return true
    if (this.parser.execute(buffer, 0, n) < 0) this.end('other')
    return true
  }

  private onEnd(): void {
    if (this.ended) return
    const state = this.parser.finish()
    if (state === 'completed') return // onResponse ended it
    // the server hung up: between responses that is its right (idle, keep-alive limit); mid-response it is not
    this.end(state === 'truncated' || this.count > 0 ? 'reset' : 'close')
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
