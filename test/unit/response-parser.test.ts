import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isDeepStrictEqual } from 'node:util'
import { ParseError, ResponseParser, type ResponseSink } from '../../src/load/http1/response-parser.js'

/** One response of the corpus, with what the parser should report for it, worked out by hand. */
interface Case {
  name: string
  wire: string
  status: number
  close: boolean
  /** The request it answers was HEAD. */
  head?: boolean
}

type Event = [status: number, bytes: number, close: boolean]

/** Records onResponse calls; answersHead() answers from a queue of HEAD flags, one per final response. */
class RecordingSink implements ResponseSink {
  events: Event[] = []
  headAsked = 0
  constructor(private readonly heads: boolean[] = []) {}
  answersHead(): boolean {
    return this.heads[this.headAsked++] ?? false
  }
  onResponse(status: number, bytes: number, close: boolean): void {
    this.events.push([status, bytes, close])
  }
}

const encode = (s: string) => Buffer.from(s, 'latin1')

/** mulberry32: a tiny seeded PRNG, so random splits are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const body64k = Array.from({ length: 65536 }, (_, i) => String.fromCharCode(32 + (i % 95))).join('')
const chunk26 = 'abcdefghijklmnopqrstuvwxyz'

/** Responses that keep the connection open, so they may follow each other on one connection. */
const keepAlive: Case[] = [
  {
    name: 'Content-Length: 0',
    wire: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    status: 200,
    close: false,
  },
  {
    name: 'small Content-Length body',
    wire: 'HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
    status: 200,
    close: false,
  },
  {
    name: '64 KB Content-Length body',
    wire: `HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n${body64k}`,
    status: 200,
    close: false,
  },
  {
    name: 'chunked: several chunks, extensions, uppercase hex, trailers',
    wire:
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5\r\nhello\r\n' +
      `1A;name=value;flag\r\n${chunk26}\r\n` +
      `1a ; spaced="quoted;ext"\r\n${chunk26}\r\n` +
      `00000003\r\nabc\r\n` +
      '0\r\nX-Trailer: one\r\nX-Checksum: 1234\r\n\r\n',
    status: 200,
    close: false,
  },
  {
    name: 'chunked wins over Content-Length',
    wire: `HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n${chunk26}\r\n0\r\n\r\n`,
    status: 200,
    close: false,
  },
  {
    name: 'Transfer-Encoding: gzip, chunked (chunked last)',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n4\r\n\x1f\x8b\x08\x00\r\n0\r\n\r\n',
    status: 200,
    close: false,
  },
  {
    name: '404 with a body',
    wire: 'HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found',
    status: 404,
    close: false,
  },
  { name: '204', wire: 'HTTP/1.1 204 No Content\r\nServer: nginx\r\n\r\n', status: 204, close: false },
  {
    name: '304 with a Content-Length (of the representation, no body)',
    wire: 'HTTP/1.1 304 Not Modified\r\nETag: "abc"\r\nContent-Length: 1234\r\n\r\n',
    status: 304,
    close: false,
  },
  {
    name: 'answer to HEAD with a Content-Length',
    wire: 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4096\r\n\r\n',
    status: 200,
    close: false,
    head: true,
  },
  {
    name: 'answer to HEAD, chunked',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
    status: 200,
    close: false,
    head: true,
  },
  {
    name: '100 Continue, then 200',
    wire: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi',
    status: 200,
    close: false,
  },
  {
    name: '103 Early Hints (with headers), then 201',
    wire:
      'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\nConnection: close\r\n\r\n' +
      'HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated',
    status: 201,
    close: false,
  },
  {
    name: 'HTTP/1.0 with keep-alive',
    wire: 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok',
    status: 200,
    close: false,
  },
  {
    name: 'mixed-case header names and tokens',
    wire: 'HTTP/1.1 200 OK\r\ncontent-TYPE: text/plain\r\nCONTENT-length: 3\r\nconnection: KEEP-ALIVE\r\n\r\nabc',
    status: 200,
    close: false,
  },
  {
    name: 'mixed-case chunked',
    wire: 'HTTP/1.1 200 OK\r\ntransfer-ENCODING: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    status: 200,
    close: false,
  },
  {
    name: 'Content-Length with surrounding spaces and tabs',
    wire: 'HTTP/1.1 200 OK\r\nContent-Length:  \t 7 \t \r\n\r\nspacing',
    status: 200,
    close: false,
  },
  {
    name: 'Content-Length list of equal values, and an equal duplicate',
    wire: 'HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc',
    status: 200,
    close: false,
  },
  { name: 'empty reason', wire: 'HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx', status: 200, close: false },
  { name: 'no reason', wire: 'HTTP/1.1 500\r\nContent-Length: 1\r\n\r\nx', status: 500, close: false },
  {
    name: 'names that only start like the ones we look for',
    wire:
      'HTTP/1.1 200 OK\r\nContent-Lengthy: 99\r\nConnectionX: close\r\nConn: close\r\nTransfer-Encodings: chunked\r\n' +
      'Content-Length: 2\r\nX-Connection: close\r\n\r\nok',
    status: 200,
    close: false,
  },
  {
    name: 'Connection tokens that only look like close',
    wire: 'HTTP/1.1 200 OK\r\nConnection: closed, xclose, clo se, keep-alive\r\nContent-Length: 0\r\n\r\n',
    status: 200,
    close: false,
  },
  {
    name: 'bare LF line ends',
    wire: 'HTTP/1.1 200 OK\nServer: x\nContent-Length: 2\n\nok',
    status: 200,
    close: false,
  },
  {
    name: 'bare LF in a chunked body',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\n0\n\n',
    status: 200,
    close: false,
  },
  {
    name: 'header value with no space after the colon, empty value, long value',
    wire: `HTTP/1.1 200 OK\r\nX-A:1\r\nX-Empty:\r\nX-Long: ${'v'.repeat(1000)}\r\nContent-Length:2\r\n\r\nok`,
    status: 200,
    close: false,
  },
]

/** Responses after which the server closes: each ends a connection, so each is a stream of its own. */
const closing: Case[] = [
  {
    name: 'Connection: close',
    wire: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbye\n',
    status: 200,
    close: true,
  },
  {
    name: 'Connection: close in a list, mixed case',
    wire: 'HTTP/1.1 200 OK\r\nConnection: Upgrade ,\tCLOSE\r\nContent-Length: 0\r\n\r\n',
    status: 200,
    close: true,
  },
  {
    name: 'HTTP/1.0 without keep-alive',
    wire: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok',
    status: 200,
    close: true,
  },
  {
    name: 'close wins over keep-alive',
    wire: 'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    status: 200,
    close: true,
  },
]

/** Responses whose body ends with the connection: complete only at finish(). */
const untilClose: Case[] = [
  {
    name: 'no length, no chunked: body until close',
    wire: 'HTTP/1.1 200 OK\r\nServer: legacy\r\n\r\nthe body runs until the connection closes\r\n\r\n0\r\n',
    status: 200,
    close: true,
  },
  {
    name: 'Transfer-Encoding without chunked last: body until close (Content-Length ignored)',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nabcdef',
    status: 200,
    close: true,
  },
  {
    name: 'HTTP/1.0, no length',
    wire: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nuntil close',
    status: 200,
    close: true,
  },
  { name: 'empty body until close', wire: 'HTTP/1.1 200 OK\r\n\r\n', status: 200, close: true },
]

interface Outcome {
  events: Event[]
  finished: ReturnType<ResponseParser['finish']>
  headAsked: number
}

/**
 * Feeds a stream cut at the given offsets (each piece copied into a scratch buffer at a varying offset, with
 * junk around it, so reading outside [start, end) would show), then finish().
 */
function feed(wire: Uint8Array, cuts: number[], heads: boolean[], scratch?: Uint8Array): Outcome {
  const sink = new RecordingSink(heads)
  const parser = new ResponseParser(sink)
  let from = 0
  for (const to of [...cuts, wire.length]) {
    let code: number
    if (scratch) {
      const at = (from * 7) % 13
      scratch.fill(0x7f, 0, at)
      scratch.set(wire.subarray(from, to), at)
      scratch.fill(0x7f, at + to - from, at + to - from + 16) // (beyond that, older pieces: junk that parses)
      code = parser.execute(scratch, at, at + to - from)
    } else {
      code = parser.execute(wire, from, to)
    }
    assert.equal(code, 0, `execute [${from}, ${to}) returned ${code}`)
    from = to
  }
  return { events: sink.events, finished: parser.finish(), headAsked: sink.headAsked }
}

/** What a stream of cases should give, from the cases alone. */
function expected(cases: Case[], finished: Outcome['finished']): Outcome {
  return {
    events: cases.map((c) => [c.status, encode(c.wire).length, c.close] as Event),
    finished,
    headAsked: cases.length,
  }
}

/** Whole, split in two at every byte, byte by byte, and random pieces: all must give `want`. */
function checkAllSplits(cases: Case[], want: Outcome): void {
  checkWireAllSplits(
    encode(cases.map((c) => c.wire).join('')),
    cases.map((c) => c.head === true),
    want,
  )
}

function checkWireAllSplits(wire: Uint8Array, heads: boolean[], want: Outcome): void {
  assert.deepEqual(feed(wire, [], heads), want, 'fed whole')
  const byByte = Array.from({ length: wire.length - 1 }, (_, i) => i + 1)
  assert.deepEqual(feed(wire, byByte, heads), want, 'fed byte by byte')
  for (let cut = 0; cut <= wire.length; cut++) {
    const got = feed(wire, [cut], heads)
    if (!isDeepStrictEqual(got, want)) assert.deepEqual(got, want, `split at ${cut}`)
  }
  const scratch = new Uint8Array(wire.length + 32)
  for (let seed = 1; seed <= 20; seed++) {
    const random = mulberry32(seed)
    const cuts: number[] = []
    // pieces of 1..40 bytes mostly, sometimes up to 20 KB
    for (let at = 0; ; ) {
      at += 1 + Math.floor(random() * (random() < 0.9 ? 40 : 20000))
      if (at >= wire.length) break
      cuts.push(at)
    }
    assert.deepEqual(feed(wire, cuts, heads, scratch), want, `random pieces, seed ${seed}`)
  }
}

describe('ResponseParser corpus', () => {
  it('each keep-alive response alone gives its status, its length on the wire and close=false', () => {
    for (const c of keepAlive) {
      assert.deepEqual(feed(encode(c.wire), [], [c.head === true]), expected([c], 'idle'), c.name)
    }
  })

  it('the keep-alive responses back to back (pipelined) give the same at every split', () => {
    checkAllSplits(keepAlive, expected(keepAlive, 'idle'))
  })

  it('a response that closes the connection, after the others, at every split', () => {
    for (const c of closing) {
      const cases = [keepAlive[1] as Case, keepAlive[3] as Case, c]
      checkAllSplits(cases, expected(cases, 'idle'))
    }
  })

  it('a body delimited by the close completes at finish(), at every split', () => {
    for (const c of untilClose) {
      const cases = [keepAlive[1] as Case, c]
      checkAllSplits(cases, expected(cases, 'completed'))
    }
  })

  it('a stray CRLF, LF or CR before a status line is skipped as llhttp skips it: two responses at every split', () => {
    const first = keepAlive[1] as Case
    const second = keepAlive[3] as Case
    for (const stray of ['\r\n', '\n', '\r', '\r\n\r\n']) {
      const wire = encode(first.wire + stray + second.wire)
      // the stray bytes belong to neither response
      checkWireAllSplits(wire, [false, false], expected([first, second], 'idle'))
    }
  })

  it('a stray CRLF after a skipped 1xx counts into the final response, like the 1xx', () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n'
    const final = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'
    const wire = encode(`${interim}\r\n${final}`)
    checkWireAllSplits(wire, [false], { events: [[200, wire.length, false]], finished: 'idle', headAsked: 1 })
  })

  it('101 Switching Protocols is final, with no body', () => {
    const wire = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    assert.equal(parser.execute(encode(wire), 0, wire.length), 0)
    assert.deepEqual(sink.events, [[101, wire.length, false]])
    assert.equal(sink.headAsked, 1)
    assert.equal(parser.inResponse, false)
  })

  it('asks answersHead() once per final response, never for a skipped 1xx', () => {
    const wire = encode(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' +
        'HTTP/1.1 204 No Content\r\n\r\n',
    )
    const sink = new RecordingSink()
    assert.equal(new ResponseParser(sink).execute(wire, 0, wire.length), 0)
    assert.equal(sink.headAsked, 2)
    assert.equal(sink.events.length, 2)
  })

  it('inResponse is true from the first byte of a response (or of a 1xx before it) until its last', () => {
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    assert.equal(parser.inResponse, false)
    const interim = encode('HTTP/1.1 100 Continue\r\n\r\n')
    parser.execute(interim, 0, 1)
    assert.equal(parser.inResponse, true)
    parser.execute(interim, 1, interim.length)
    assert.equal(parser.inResponse, true, 'a 100 Continue alone is not the response')
    const final = encode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    parser.execute(final, 0, final.length - 1)
    assert.equal(parser.inResponse, true)
    parser.execute(final, final.length - 1, final.length)
    assert.equal(parser.inResponse, false)
    assert.deepEqual(sink.events, [[200, interim.length + final.length, false]])
  })
})

describe('ResponseParser errors', () => {
  function firstError(wire: string, maxHeadBytes?: number): number {
    const parser = new ResponseParser(new RecordingSink(), maxHeadBytes === undefined ? {} : { maxHeadBytes })
    const buf = encode(wire)
    return parser.execute(buf, 0, buf.length)
  }

  /** The same error when fed byte by byte (the code comes from whichever call finds it). */
  function firstErrorByteByByte(wire: string, maxHeadBytes?: number): number {
    const parser = new ResponseParser(new RecordingSink(), maxHeadBytes === undefined ? {} : { maxHeadBytes })
    const buf = encode(wire)
    for (let i = 0; i < buf.length; i++) {
      const code = parser.execute(buf, i, i + 1)
      if (code !== 0) return code
    }
    return 0
  }

  const cases: [string, string, number][] = [
    ['garbage', 'hello\r\n\r\n', ParseError.badStatusLine],
    ['HTTP/2', 'HTTP/2 200 OK\r\n\r\n', ParseError.badStatusLine],
    ['two-digit status', 'HTTP/1.1 20 OK\r\n\r\n', ParseError.badStatusLine],
    ['four-digit status', 'HTTP/1.1 2000 OK\r\n\r\n', ParseError.badStatusLine],
    ['status 099', 'HTTP/1.1 099 Odd\r\n\r\n', ParseError.badStatusLine],
    ['CR without LF in the status line', 'HTTP/1.1 200 OK\rX\n\r\n', ParseError.badStatusLine],
    ['obsolete line folding', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\n\r\n', ParseError.badHeader],
    ['space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n', ParseError.badHeader],
    ['empty header name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n', ParseError.badHeader],
    ['no colon', 'HTTP/1.1 200 OK\r\nJustAName\r\n\r\n', ParseError.badHeader],
    ['CR without LF in a header', 'HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\n\r\n', ParseError.badHeader],
    ['CR without LF at the end of the head', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n\rx', ParseError.badHeader],
    ['negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', ParseError.badContentLength],
    [
      'non-numeric Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n',
      ParseError.badContentLength,
    ],
    ['Content-Length 1 2', 'HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n', ParseError.badContentLength],
    ['empty Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n', ParseError.badContentLength],
    ['Content-Length 0x10', 'HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n', ParseError.badContentLength],
    [
      'conflicting duplicate Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabcd',
      ParseError.badContentLength,
    ],
    [
      'conflicting Content-Length list',
      'HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n',
      ParseError.badContentLength,
    ],
    [
      'Content-Length beyond 2^53',
      'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n',
      ParseError.badContentLength,
    ],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', ParseError.badChunk],
    ['empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n', ParseError.badChunk],
    [
      'negative chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n',
      ParseError.badChunk,
    ],
    [
      'chunk data longer than its size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
      ParseError.badChunk,
    ],
    [
      'chunk size beyond 2^53',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n',
      ParseError.badChunk,
    ],
    [
      'hex digits after a space',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 2\r\n',
      ParseError.badChunk,
    ],
  ]

  for (const [name, wire, code] of cases) {
    it(`${name} → ${code}`, () => {
      assert.equal(firstError(wire), code)
      assert.equal(firstErrorByteByByte(wire), code)
    })
  }

  it('a head over maxHeadBytes → headTooLarge, one of exactly maxHeadBytes is fine, at any split', () => {
    const head = (size: number) => {
      const start = 'HTTP/1.1 200 OK\r\nX-Pad: '
      const tail = '\r\nContent-Length: 0\r\n\r\n'
      return start + 'p'.repeat(size - start.length - tail.length) + tail
    }
    assert.equal(head(200).length, 200)
    assert.equal(firstError(head(200), 200), 0)
    assert.equal(firstErrorByteByByte(head(200), 200), 0)
    assert.equal(firstError(head(201), 200), ParseError.headTooLarge)
    assert.equal(firstErrorByteByByte(head(201), 200), ParseError.headTooLarge)
    // the limit is per head: two heads of 200 bytes each, and one after a 100 Continue, are fine
    assert.equal(firstError(head(200) + head(200), 200), 0)
    assert.equal(firstError(`HTTP/1.1 100 Continue\r\n\r\n${head(200)}`, 200), 0)
    // the default is 64 KiB
    assert.equal(firstError(head(65536)), 0)
    assert.equal(firstError(head(65537)), ParseError.headTooLarge)
    // found as soon as the limit is passed, without waiting for the end of the head
    assert.equal(firstError(`HTTP/1.1 200 OK\r\nX-Pad: ${'p'.repeat(300)}`, 200), ParseError.headTooLarge)
  })

  it('a trailer section over maxHeadBytes → headTooLarge', () => {
    const trailers = `X-T: ${'t'.repeat(300)}\r\n\r\n`
    const wire = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n${trailers}`
    assert.equal(firstError(wire, 200), ParseError.headTooLarge)
    assert.equal(firstError(wire, trailers.length), 0)
  })

  it('stays failed until reset(), then parses again', () => {
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    const bad = encode('hello\r\n\r\n')
    assert.equal(parser.execute(bad, 0, bad.length), ParseError.badStatusLine)
    const good = encode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    assert.equal(parser.execute(good, 0, good.length), ParseError.badStatusLine)
    assert.deepEqual(sink.events, [])
    parser.reset()
    assert.equal(parser.inResponse, false)
    assert.equal(parser.execute(good, 0, good.length), 0)
    assert.deepEqual(sink.events, [[200, good.length, false]])
    // and after an error in the middle of a body
    const chunked = encode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nXYZ')
    assert.equal(parser.execute(chunked, 0, chunked.length), ParseError.badChunk)
    parser.reset()
    assert.equal(parser.execute(good, 0, good.length), 0)
    assert.deepEqual(sink.events, [
      [200, good.length, false],
      [200, good.length, false],
    ])
  })

  it('reset() from inside onResponse ends that execute() call', () => {
    const wire = encode('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'.repeat(3))
    let parser: ResponseParser | undefined
    let seen = 0
    parser = new ResponseParser({
      answersHead: () => false,
      onResponse: () => {
        seen++
        parser?.reset()
      },
    })
    assert.equal(parser.execute(wire, 0, wire.length), 0)
    assert.equal(seen, 1)
    assert.equal(parser.inResponse, false)
    assert.equal(parser.execute(wire, 0, wire.length), 0)
    assert.equal(seen, 2)
  })
})

describe('ResponseParser finish()', () => {
  function finishAfter(wire: string): [ReturnType<ResponseParser['finish']>, Event[]] {
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    const buf = encode(wire)
    assert.equal(parser.execute(buf, 0, buf.length), 0)
    const result = parser.finish()
    assert.equal(parser.inResponse, false, 'finish() resets the parser')
    return [result, sink.events]
  }

  const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'

  it('idle on a fresh parser and between responses', () => {
    assert.deepEqual(finishAfter(''), ['idle', []])
    assert.deepEqual(finishAfter(ok), ['idle', [[200, ok.length, false]]])
    assert.deepEqual(
      finishAfter(`${ok}\r\n`),
      ['idle', [[200, ok.length, false]]],
      'a stray CRLF starts nothing',
    )
  })

  it('completed for a body delimited by the close', () => {
    const wire = 'HTTP/1.1 200 OK\r\n\r\npartial body'
    assert.deepEqual(finishAfter(ok + wire), [
      'completed',
      [
        [200, ok.length, false],
        [200, wire.length, true],
      ],
    ])
  })

  it('truncated mid-head, mid-body, mid-chunk, and after a 1xx alone', () => {
    assert.deepEqual(finishAfter('H'), ['truncated', []])
    assert.deepEqual(finishAfter('HTTP/1.1 200 OK\r\nContent-'), ['truncated', []])
    assert.deepEqual(finishAfter(`${ok}HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf`), [
      'truncated',
      [[200, ok.length, false]],
    ])
    const chunkedHead = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
    assert.deepEqual(finishAfter(`${chunkedHead}a\r\nhalf`), ['truncated', []])
    assert.deepEqual(finishAfter(`${chunkedHead}a`), ['truncated', []])
    assert.deepEqual(finishAfter(`${chunkedHead}0\r\nX-Trailer: 1\r\n`), ['truncated', []])
    assert.deepEqual(finishAfter('HTTP/1.1 100 Continue\r\n\r\n'), ['truncated', []])
  })
})

describe('ResponseParser large bodies', () => {
  it('counts a 1 GB Content-Length body fed in 64 KB pieces (one reused buffer), quickly', () => {
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    const head = encode(
      'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n\r\n',
    )
    const after = encode('HTTP/1.1 204 No Content\r\n\r\n')
    const piece = new Uint8Array(65536).fill(0x61)
    const started = process.hrtime.bigint()
    assert.equal(parser.execute(head, 0, head.length), 0)
    let left = 1e9
    let calls = 0
    while (left > 0) {
      const n = Math.min(left, piece.length)
      assert.equal(parser.execute(piece, 0, n), 0)
      left -= n
      calls++
    }
    assert.equal(parser.execute(after, 0, after.length), 0)
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    assert.equal(calls, Math.ceil(1e9 / 65536))
    assert.deepEqual(sink.events, [
      [200, head.length + 1e9, false],
      [204, after.length, false],
    ])
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`)
  })

  it('counts a 1 GB chunk the same way', () => {
    const sink = new RecordingSink()
    const parser = new ResponseParser(sink)
    const head = encode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3B9ACA00\r\n') // 1e9
    const tail = encode('\r\n0\r\n\r\n')
    const piece = new Uint8Array(65536)
    assert.equal(parser.execute(head, 0, head.length), 0)
    for (let left = 1e9; left > 0; left -= piece.length) {
      assert.equal(parser.execute(piece, 0, Math.min(left, piece.length)), 0)
    }
    assert.equal(parser.execute(tail, 0, tail.length), 0)
    assert.deepEqual(sink.events, [[200, head.length + 1e9 + tail.length, false]])
  })
})
