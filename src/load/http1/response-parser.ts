/**
 * A minimal HTTP/1.1 response parser for the load generator's hot path, hand-written on purpose. Node has a
 * real parser (llhttp) but does not expose it as a public API, and node:http's client machinery around it
 * costs ~170–290 µs of generator CPU per request on this machine (measured), while a raw-socket client with
 * a hand parser measured 16–19 µs per request against the same nginx. So the parser has to cost well under
 * 1 µs per small response. Measured with scripts/bench-parser.ts (`npm run build && node
 * dist/scripts/bench-parser.js`): a 150-byte nginx response (200, Server, Date, Content-Type,
 * Content-Length: 3, Connection: keep-alive, body `ok\n`) parsed 2 million times per round, median of 7
 * rounds, CPU time, Node 20 on this 2-core Xeon while other benchmarks were running on it (load average ~9,
 * so these are upper bounds):
 *
 *   50 responses per execute() call    345–375 ns per response
 *   1 response per execute() call      370–410 ns per response
 *   for scale, a loop that only reads each byte once: 195–220 ns (so ~1.8 times the cost of reading the bytes)
 *
 * It allocates nothing per response or per execute() call: no strings, arrays, closures or buffer slices,
 * only numbers in instance fields and a fixed state machine (`node --trace-gc` shows not one collection
 * during the benchmark's tens of millions of responses). Header names are matched case-insensitively
 * against three words through a precomputed table (one lookup per byte, which also validates it), and the
 * lines of other headers are skipped in one loop; bodies are skipped by arithmetic, never byte by byte, so a
 * 1 GB Content-Length is just counted. Head bytes are looked at once each.
 *
 * What it understands: `HTTP/1.x NNN [reason]` (reason optional or empty); Content-Length (surrounding
 * whitespace allowed; a list of equal values such as `3, 3` is accepted, a different duplicate is an error);
 * Transfer-Encoding (chunked when it is the last coding: hex sizes, extensions, trailers; it wins over
 * Content-Length; any other final coding means a body until the connection closes, RFC 9112 §6.3);
 * Connection tokens `close` and `keep-alive` in a comma list; HTTP/1.0 closes unless keep-alive. No body
 * after HEAD, 204, 304 and 101; other 1xx responses (100, 103) are skipped and their bytes counted into the
 * final response after them. Line ends are CRLF, or a bare LF (accepting it costs nothing); a CR must be
 * followed by LF. CR and LF bytes where a status line is due are skipped, as llhttp skips them (a stray CRLF
 * after a body); they count into no response. Obsolete line folding is an error (badHeader). maxHeadBytes
 * bounds the status line plus headers (and, separately, the trailer section of a chunked body). The values of
 * other headers are not validated; trailer lines are only skipped to their LF.
 *
 * Callbacks: sink.answersHead() is called exactly once before each sink.onResponse(), for every final
 * response (also 204, 304 and 101, where the answer changes nothing), so a sink can pop its queue of
 * pending request methods in either. Calling reset() from inside a callback ends the current execute()
 * (it returns 0 and the rest of that buffer is dropped). After a 101 the connection speaks another
 * protocol: stop feeding the parser. Bytes after a close=true response are parsed as further responses.
 * finish() resets the parser; after a parse error it says 'truncated'.
 */

export interface ResponseSink {
  /** Called once the head of a final (non-1xx) response is parsed: return true when the request it answers was HEAD, so no body follows. */
  answersHead(): boolean
  /** A complete final response. bytes: all bytes of this response on the wire, head and body (and any skipped 1xx responses before it). close: the server will close after it (Connection: close, or HTTP/1.0 without keep-alive, or a body delimited by the end of the connection). */
  onResponse(status: number, bytes: number, close: boolean): void
}

export const ParseError = {
  badStatusLine: -1,
  badHeader: -2,
  headTooLarge: -3,
  badContentLength: -4,
  badChunk: -5,
} as const

// States. Those up to LAST_HEAD are bounded by maxHeadBytes (the head, and a chunked body's trailers).
const S_START = 0 // nothing of this response yet (or only skipped 1xx responses)
const S_PREFIX = 1 // in `HTTP/1.`
const S_MINOR = 2
const S_CODE_SP = 3
const S_CODE = 4
const S_AFTER_CODE = 5
const S_REASON = 6
const S_STATUS_LF = 7
const S_HEADER_START = 8 // at the start of a header line
const S_NAME = 9
const S_VALUE = 10 // a header we do not care about
const S_LENGTH_VALUE = 11
const S_TOKENS_VALUE = 12 // Connection or Transfer-Encoding
const S_HEADER_LF = 13
const S_HEAD_END = 14 // at the CR or LF of the empty line that ends the head
const S_HEAD_LF = 15
const S_TRAILER_START = 16
const S_TRAILER_LINE = 17
const S_TRAILER_LF = 18
const LAST_HEAD = 18
const S_BODY = 19 // Content-Length
const S_BODY_CLOSE = 20 // until the connection closes
const S_CHUNK_SIZE = 21
const S_CHUNK_EXT = 22
const S_CHUNK_SIZE_LF = 23
const S_CHUNK_DATA = 24
const S_CHUNK_DATA_CR = 25
const S_CHUNK_DATA_LF = 26
const S_ERROR = 27

const CR = 13
const LF = 10
const SP = 32
const HT = 9
const COLON = 58
const COMMA = 44
const SEMICOLON = 59

// Header names we look for, and the Connection / Transfer-Encoding tokens, as bits.
const H_CONTENT_LENGTH = 1
const H_TRANSFER_ENCODING = 2
const H_CONNECTION = 4
const T_CLOSE = 1
const T_KEEP_ALIVE = 2
const T_CHUNKED = 4
/** In the name table: the byte may be part of a header name (RFC 9110 tchar). */
const TCHAR = 0x80

/** Largest v for which v * 10 + 9 is still a safe integer. */
const MAX_DECIMAL_PREFIX = 900719925474098
/** Largest v for which v * 16 + 15 is still a safe integer. */
const MAX_HEX_PREFIX = 0x1ffffffffffff

/**
 * table[(pos << 8) | byte] has bit k set when words[k] has that byte (either case) at pos; ends[n] has bit k
 * set when words[k] is n bytes long. Matching is then: mask &= table[...] per byte, mask & ends[length].
 * With tchar, every row also has the TCHAR bit for the bytes allowed in a header name, and one more row
 * (pos = longest) has only those: one lookup per name byte both validates it and matches it.
 */
function wordTable(
  words: string[],
  tchar: boolean,
): { table: Uint8Array; ends: Uint8Array; longest: number } {
  const longest = Math.max(...words.map((w) => w.length))
  const table = new Uint8Array((longest + 1) << 8)
  const ends = new Uint8Array(longest + 1)
  words.forEach((word, k) => {
    ends[word.length] = (ends[word.length] as number) | (1 << k)
    for (let pos = 0; pos < word.length; pos++) {
      for (const c of [word.toLowerCase().charCodeAt(pos), word.toUpperCase().charCodeAt(pos)]) {
        table[(pos << 8) | c] = (table[(pos << 8) | c] as number) | (1 << k)
      }
    }
  })
  if (tchar) {
    for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
      for (let pos = 0; pos <= longest; pos++) {
        table[(pos << 8) | c.charCodeAt(0)] = (table[(pos << 8) | c.charCodeAt(0)] as number) | TCHAR
      }
    }
  }
  return { table, ends, longest }
}

const NAMES = wordTable(['content-length', 'transfer-encoding', 'connection'], true)
const NAME_TABLE = NAMES.table
const NAME_ENDS = NAMES.ends
const NAME_LONGEST = NAMES.longest
/** The name table's last row: TCHAR for the bytes allowed in a header name, no word bits. */
const TCHAR_ROW = NAME_LONGEST << 8
const TOKENS = wordTable(['close', 'keep-alive', 'chunked'], false)
const TOKEN_TABLE = TOKENS.table
const TOKEN_ENDS = TOKENS.ends
const TOKEN_LONGEST = TOKENS.longest

const PREFIX = new TextEncoder().encode('HTTP/1.')

/** A hex digit's value, or -1. */
const HEX = new Int8Array(256).fill(-1)
for (let d = 0; d < 16; d++) {
  HEX['0123456789abcdef'.charCodeAt(d)] = d
  HEX['0123456789ABCDEF'.charCodeAt(d)] = d
}

export class ResponseParser {
  private readonly sink: ResponseSink
  private readonly maxHeadBytes: number
  private state = S_START
  private errorCode = 0
  /** Bytes of the current response (with skipped 1xx responses) received in earlier execute() calls. */
  private bytes = 0
  /** During execute(): where the current response began, in buf's coordinates (before start if earlier). */
  private mark = 0
  /** Bytes of the current head (or trailer section) received in earlier execute() calls. */
  private headBytes = 0
  /** Incremented by reset(), so execute() notices a reset from inside a callback. */
  private generation = 0

  // The response being parsed.
  private status = 0
  private http10 = false
  private contentLength = -1
  private transferEncoding = false
  private chunked = false
  private connectionClose = false
  private connectionKeepAlive = false
  private closeAfter = false
  /** Body or chunk bytes still to skip; while a chunk size line is read, the size so far. */
  private remaining = 0

  // Within a line: a position, the words still matching, and the header being read.
  private pos = 0
  private mask = 0
  private header = 0
  /** Header value lists: 0 before an element, 1 inside one, 2 after it (whitespace seen). */
  private element = 0
  private lastChunked = false
  /** Content-Length: the element's value so far; a chunk size line: 1 once whitespace ended the size. */
  private value = 0

  constructor(sink: ResponseSink, options?: { maxHeadBytes?: number }) {
    this.sink = sink
    this.maxHeadBytes = options?.maxHeadBytes ?? 65536
  }

  /** True while part of a response has been received but not all of it. */
  get inResponse(): boolean {
    return this.state !== S_START || this.bytes > 0
  }

  /** Back to the start state, for a new connection. */
  reset(): void {
    this.state = S_START
    this.errorCode = 0
    this.bytes = 0
    this.headBytes = 0
    this.generation++
  }

  /**
   * The connection ended. Returns 'idle' (between responses), 'completed' (a response delimited by the close
   * was in progress: it is completed now, onResponse called with close=true), or 'truncated' (a response was
   * cut short; also after a parse error). The parser is reset afterwards.
   */
  finish(): 'idle' | 'completed' | 'truncated' {
    const state = this.state
    const bytes = this.bytes
    this.reset()
    if (state === S_START && bytes === 0) return 'idle'
    if (state !== S_BODY_CLOSE) return 'truncated'
    this.sink.onResponse(this.status, bytes, true)
    return 'completed'
  }

  /**
   * Feeds bytes buf[start, end). Returns 0 when all were consumed, or a negative ParseError code (the parser
   * is then unusable until reset()). May call sink.onResponse any number of times.
   */
  execute(buf: Uint8Array, start: number, end: number): number {
    let state = this.state
    if (state === S_ERROR) return this.errorCode
    const generation = this.generation
    const maxHead = this.maxHeadBytes
    this.mark = start - this.bytes
    let i = start
    /** Where the current head or trailer section began, in buf's coordinates, and where maxHeadBytes ends it. */
    let headStart = start - this.headBytes
    let limit = Math.min(headStart + maxHead, end)

    while (i < end) {
      if (state !== S_START && state <= LAST_HEAD && i >= limit) return this.fail(ParseError.headTooLarge)
      switch (state) {
        case S_START: {
          headStart = i
          limit = Math.min(i + maxHead, end)
          this.contentLength = -1
          this.transferEncoding = false
          this.chunked = false
          this.connectionClose = false
          this.connectionKeepAlive = false
          // The whole `HTTP/1.x NNN` at once when it is there; otherwise (or when it is not quite right) byte
          // by byte, which also says what is wrong.
          if (
            limit - i >= 13 &&
            buf[i] === 72 &&
            buf[i + 1] === 84 &&
            buf[i + 2] === 84 &&
            buf[i + 3] === 80
          ) {
            const minor = (buf[i + 7] as number) - 48
            const d0 = (buf[i + 9] as number) - 48
            const d1 = (buf[i + 10] as number) - 48
            const d2 = (buf[i + 11] as number) - 48
            if (
              buf[i + 4] === 47 &&
              buf[i + 5] === 49 &&
              buf[i + 6] === 46 &&
              minor >= 0 &&
              minor <= 9 &&
              buf[i + 8] === SP &&
              d0 >= 1 &&
              d0 <= 9 &&
              d1 >= 0 &&
              d1 <= 9 &&
              d2 >= 0 &&
              d2 <= 9
            ) {
              this.http10 = minor === 0
              this.status = d0 * 100 + d1 * 10 + d2
              i += 12
              state = S_AFTER_CODE
              break
            }
          }
          // A stray CR or LF where a status line is due (some servers send a CRLF after a body whose
          // Content-Length left it out) is skipped, as llhttp's start state skips any CR and LF bytes before a
          // message. It belongs to no response: unless a skipped 1xx is already counted into the next one, the
          // next response starts after it (so a connection that ends here is idle, not truncated).
          const b = buf[i]
          if (b === CR || b === LF) {
            if (this.mark === i) this.mark = i + 1
            i++
            break
          }
          this.status = 0
          this.pos = 0
          state = S_PREFIX
          break
        }
        case S_PREFIX: {
          let pos = this.pos
          while (i < limit) {
            if (buf[i] !== PREFIX[pos]) return this.fail(ParseError.badStatusLine)
            i++
            if (++pos === PREFIX.length) {
              state = S_MINOR
              break
            }
          }
          this.pos = pos
          break
        }
        case S_MINOR: {
          const b = buf[i++] as number
          if (b < 48 || b > 57) return this.fail(ParseError.badStatusLine)
          this.http10 = b === 48
          state = S_CODE_SP
          break
        }
        case S_CODE_SP: {
          if (buf[i++] !== SP) return this.fail(ParseError.badStatusLine)
          this.pos = 0
          state = S_CODE
          break
        }
        case S_CODE: {
          let pos = this.pos
          let status = this.status
          while (i < limit) {
            const d = (buf[i] as number) - 48
            if (d < 0 || d > 9 || (pos === 0 && d === 0)) return this.fail(ParseError.badStatusLine)
            status = status * 10 + d
            i++
            if (++pos === 3) {
              state = S_AFTER_CODE
              break
            }
          }
          this.pos = pos
          this.status = status
          break
        }
        case S_AFTER_CODE: {
          const b = buf[i++]
          if (b === SP) state = S_REASON
          else if (b === CR) state = S_STATUS_LF
          else if (b === LF) state = S_HEADER_START
          else return this.fail(ParseError.badStatusLine)
          break
        }
        case S_REASON: {
          while (i < limit) {
            const b = buf[i++]
            if (b === LF) {
              state = S_HEADER_START
              break
            }
            if (b === CR) {
              if (i < limit && buf[i] === LF) {
                i++
                state = S_HEADER_START
              } else {
                state = S_STATUS_LF
              }
              break
            }
          }
          break
        }
        case S_STATUS_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badStatusLine)
          state = S_HEADER_START
          break
        }
        case S_HEADER_START:
        case S_NAME:
        case S_VALUE: {
          // Header lines one after another, without leaving this loop for the headers we do not care about.
          let phase: number = state
          let pos = this.pos
          let mask = this.mask
          lines: for (;;) {
            if (phase === S_VALUE) {
              for (;;) {
                if (i >= limit) break lines
                const b = buf[i++] as number
                if (b <= CR) {
                  if (b === LF) break
                  if (b === CR) {
                    if (i < limit && buf[i] === LF) {
                      i++
                      break
                    }
                    phase = S_HEADER_LF
                    break lines
                  }
                }
              }
              phase = S_HEADER_START
            }
            if (phase === S_HEADER_START) {
              if (i >= limit) break
              const b = buf[i] as number
              if (b === CR || b === LF) {
                phase = S_HEAD_END
                break
              }
              // (a space or tab here would be obsolete line folding: an error like any other non-token byte)
              mask = NAME_TABLE[b] as number
              if (mask === 0) return this.fail(ParseError.badHeader)
              pos = 1
              i++
              phase = S_NAME
            }
            // While the name may still be one of ours (then pos <= NAME_LONGEST: the row after a word's end
            // has none of its bits), matching; once it cannot, only validating, against the last row.
            while (mask !== TCHAR) {
              if (i >= limit) break lines
              const e = NAME_TABLE[(pos << 8) | (buf[i] as number)] as number
              if (e === 0) break
              mask &= e
              pos++
              i++
            }
            if (mask === TCHAR) {
              for (;;) {
                if (i >= limit) break lines
                if (NAME_TABLE[TCHAR_ROW | (buf[i] as number)] === 0) break
                i++
              }
            }
            if (buf[i++] !== COLON) return this.fail(ParseError.badHeader)
            const header = mask === TCHAR ? 0 : mask & (NAME_ENDS[pos] as number)
            if (header === 0) {
              phase = S_VALUE
              continue
            }
            if (header === H_CONTENT_LENGTH) {
              this.value = 0
              phase = S_LENGTH_VALUE
            } else {
              this.header = header
              this.lastChunked = false
              phase = S_TOKENS_VALUE
            }
            this.element = 0
            break
          }
          state = phase
          this.pos = pos
          this.mask = mask
          break
        }
        case S_LENGTH_VALUE: {
          // 1*DIGIT with optional whitespace around, or a comma list of equal values.
          let value = this.value
          let element = this.element
          while (i < limit) {
            const b = buf[i++] as number
            const d = b - 48
            if (d >= 0 && d <= 9) {
              if (element === 2 || value > MAX_DECIMAL_PREFIX) return this.fail(ParseError.badContentLength)
              value = value * 10 + d
              element = 1
            } else if (b === SP || b === HT) {
              if (element === 1) element = 2
            } else if (b === COMMA || b === CR || b === LF) {
              if (element === 0 || (this.contentLength >= 0 && this.contentLength !== value)) {
                return this.fail(ParseError.badContentLength)
              }
              this.contentLength = value
              value = 0
              element = 0
              if (b !== COMMA) {
                state = this.lineEnd(b, buf, i, limit)
                if (state === S_HEADER_START && b === CR) i++
                break
              }
            } else {
              return this.fail(ParseError.badContentLength)
            }
          }
          this.value = value
          this.element = element
          break
        }
        case S_TOKENS_VALUE: {
          let pos = this.pos
          let mask = this.mask
          let element = this.element
          while (i < limit) {
            const b = buf[i++] as number
            if (b === COMMA || b === CR || b === LF) {
              if (element !== 0) {
                const token = pos <= TOKEN_LONGEST ? mask & (TOKEN_ENDS[pos] as number) : 0
                if (this.header === H_TRANSFER_ENCODING) {
                  this.lastChunked = token === T_CHUNKED
                } else if (token === T_CLOSE) {
                  this.connectionClose = true
                } else if (token === T_KEEP_ALIVE) {
                  this.connectionKeepAlive = true
                }
                element = 0
              }
              if (b !== COMMA) {
                if (this.header === H_TRANSFER_ENCODING) {
                  // The last coding of the last Transfer-Encoding header decides.
                  this.transferEncoding = true
                  this.chunked = this.lastChunked
                }
                state = this.lineEnd(b, buf, i, limit)
                if (state === S_HEADER_START && b === CR) i++
                break
              }
            } else if (b === SP || b === HT) {
              if (element === 1) element = 2
            } else {
              if (element === 0) {
                element = 1
                mask = this.header === H_CONNECTION ? T_CLOSE | T_KEEP_ALIVE : T_CHUNKED
                pos = 0
              } else if (element === 2) {
                mask = 0 // `foo bar`: whitespace inside an element, matches nothing
              }
              if (mask !== 0) mask = pos < TOKEN_LONGEST ? mask & (TOKEN_TABLE[(pos << 8) | b] as number) : 0
              pos++
            }
          }
          this.pos = pos
          this.mask = mask
          this.element = element
          break
        }
        case S_HEADER_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badHeader)
          state = S_HEADER_START
          break
        }
        case S_HEAD_END: {
          if (buf[i++] === CR) {
            if (i >= limit || buf[i] !== LF) {
              state = S_HEAD_LF
              break
            }
            i++
          }
          state = this.headDone(i)
          if (this.generation !== generation) return 0
          break
        }
        case S_HEAD_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badHeader)
          state = this.headDone(i)
          if (this.generation !== generation) return 0
          break
        }
        case S_BODY: {
          const remaining = this.remaining
          if (end - i < remaining) {
            this.remaining = remaining - (end - i)
            i = end
            break
          }
          i += remaining
          this.complete(i)
          if (this.generation !== generation) return 0
          state = S_START
          break
        }
        case S_BODY_CLOSE: {
          i = end
          break
        }
        case S_CHUNK_SIZE: {
          // 1*HEXDIG, optional whitespace, then `;extensions` or the line end; pos counts digits.
          let size = this.remaining
          let digits = this.pos
          while (i < end) {
            const b = buf[i++] as number
            const d = HEX[b] as number
            if (d >= 0) {
              if (this.value === 1 || size > MAX_HEX_PREFIX) return this.fail(ParseError.badChunk)
              size = size * 16 + d
              digits++
              continue
            }
            if (b === SP || b === HT) {
              if (digits === 0) return this.fail(ParseError.badChunk)
              this.value = 1
              continue
            }
            if (digits === 0) return this.fail(ParseError.badChunk)
            if (b === SEMICOLON) state = S_CHUNK_EXT
            else if (b === CR) state = S_CHUNK_SIZE_LF
            else if (b === LF) state = size === 0 ? S_TRAILER_START : S_CHUNK_DATA
            else return this.fail(ParseError.badChunk)
            break
          }
          this.remaining = size
          this.pos = digits
          if (state === S_TRAILER_START) {
            headStart = i
            limit = Math.min(i + maxHead, end)
          }
          break
        }
        case S_CHUNK_EXT: {
          while (i < end) {
            const b = buf[i++]
            if (b === CR) {
              state = S_CHUNK_SIZE_LF
              break
            }
            if (b === LF) {
              state = this.remaining === 0 ? S_TRAILER_START : S_CHUNK_DATA
              if (state === S_TRAILER_START) {
                headStart = i
                limit = Math.min(i + maxHead, end)
              }
              break
            }
          }
          break
        }
        case S_CHUNK_SIZE_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badChunk)
          state = this.remaining === 0 ? S_TRAILER_START : S_CHUNK_DATA
          if (state === S_TRAILER_START) {
            headStart = i
            limit = Math.min(i + maxHead, end)
          }
          break
        }
        case S_CHUNK_DATA: {
          const remaining = this.remaining
          if (end - i < remaining) {
            this.remaining = remaining - (end - i)
            i = end
            break
          }
          i += remaining
          state = S_CHUNK_DATA_CR
          break
        }
        case S_CHUNK_DATA_CR: {
          const b = buf[i++]
          if (b === CR) state = S_CHUNK_DATA_LF
          else if (b === LF) state = this.chunkSizeStart()
          else return this.fail(ParseError.badChunk)
          break
        }
        case S_CHUNK_DATA_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badChunk)
          state = this.chunkSizeStart()
          break
        }
        case S_TRAILER_START: {
          const b = buf[i++]
          if (b === CR) {
            state = S_TRAILER_LF
          } else if (b === LF) {
            this.complete(i)
            if (this.generation !== generation) return 0
            state = S_START
          } else {
            state = S_TRAILER_LINE
          }
          break
        }
        case S_TRAILER_LINE: {
          while (i < limit) {
            if (buf[i++] === LF) {
              state = S_TRAILER_START
              break
            }
          }
          break
        }
        case S_TRAILER_LF: {
          if (buf[i++] !== LF) return this.fail(ParseError.badChunk)
          this.complete(i)
          if (this.generation !== generation) return 0
          state = S_START
          break
        }
      }
    }

    this.state = state
    this.bytes = end - this.mark
    this.headBytes = state !== S_START && state <= LAST_HEAD ? end - headStart : 0
    return 0
  }

  private fail(code: number): number {
    this.state = S_ERROR
    this.errorCode = code
    return code
  }

  /**
   * A header value ended with b (CR or LF) just before i: the next state. A CR followed by its LF (when that
   * is already here) means the caller skips the LF.
   */
  private lineEnd(b: number, buf: Uint8Array, i: number, limit: number): number {
    if (b === LF || (i < limit && buf[i] === LF)) return S_HEADER_START
    return S_HEADER_LF
  }

  /** The head ended just before i: what follows it. A response without a body is completed here. */
  private headDone(i: number): number {
    const status = this.status
    if (status < 200 && status !== 101) return S_START // interim: skipped, counted into the next response
    const head = this.sink.answersHead()
    this.closeAfter = this.connectionClose || (this.http10 && !this.connectionKeepAlive)
    if (head || status === 204 || status === 304 || status === 101) {
      this.complete(i)
      return S_START
    }
    if (this.transferEncoding) {
      if (this.chunked) return this.chunkSizeStart()
      this.closeAfter = true
      return S_BODY_CLOSE
    }
    if (this.contentLength > 0) {
      this.remaining = this.contentLength
      return S_BODY
    }
    if (this.contentLength === 0) {
      this.complete(i)
      return S_START
    }
    this.closeAfter = true
    return S_BODY_CLOSE
  }

  private chunkSizeStart(): number {
    this.remaining = 0
    this.pos = 0
    this.value = 0
    return S_CHUNK_SIZE
  }

  /** The response ended just before `at`. */
  private complete(at: number): void {
    const bytes = at - this.mark
    this.mark = at
    this.state = S_START
    this.bytes = 0
    this.sink.onResponse(this.status, bytes, this.closeAfter)
  }
}
