import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeClientFrame, opcodes } from '../../src/load/ws/encode-client-frame.js'
import { acceptFor, readUpgradeResponse, upgradeRequest } from '../../src/load/ws/upgrade-request.js'
import { WsFrameReader, type WsFrameSink } from '../../src/load/ws/ws-frame-reader.js'
import { seededRandom } from '../seeded-random.js'

/** A server frame (unmasked), as RFC 6455 §5.7's examples write them. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const n = payload.length
  const head =
    n < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, n])
      : n < 65_536
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 127]), bigLength(n)])
  return Buffer.concat([head, payload])
}
function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

function recorder(max = 1_000_000) {
  const heard: string[] = []
  const sink: WsFrameSink = {
    message: (n) => heard.push(`message ${n}`),
    ping: (p) => heard.push(`ping ${p.toString()}`),
    close: (code) => heard.push(`close ${code}`),
    fault: (kind) => heard.push(`fault ${kind}`),
  }
  return { heard, reader: new WsFrameReader(sink, max) }
}

describe('WebSocket frames (RFC 6455)', () => {
  it('a masked client frame is RFC 6455 §5.7’s "Hello" example byte for byte', () => {
    const frame = encodeClientFrame(opcodes.text, Buffer.from('Hello'), Buffer.from([0x37, 0xfa, 0x21, 0x3d]))
    assert.deepEqual([...frame], [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
  })

  it('16- and 64-bit lengths are written as §5.2 says (256 bytes: 126 + 2 bytes; 65,536: 127 + 8)', () => {
    const mask = Buffer.alloc(4)
    const mid = encodeClientFrame(opcodes.binary, Buffer.alloc(256), mask)
    assert.deepEqual([...mid.subarray(0, 4)], [0x82, 0xfe, 0x01, 0x00])
    assert.equal(mid.length, 2 + 2 + 4 + 256)
    const big = encodeClientFrame(opcodes.binary, Buffer.alloc(65_536), mask)
    assert.deepEqual([...big.subarray(0, 10)], [0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0])
  })

  it('reads §5.7’s unmasked "Hello", a fragmented message, a ping between fragments, and a close code', () => {
    const { heard, reader } = recorder()
    reader.push(Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]))
    reader.push(Buffer.from([0x01, 0x03, 0x48, 0x65, 0x6c])) // "Hel", not final
    reader.push(Buffer.from([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])) // ping "Hello"
    reader.push(Buffer.from([0x80, 0x02, 0x6c, 0x6f])) // "lo", final
    reader.push(serverFrame(opcodes.close, Buffer.from([0x03, 0xe8])))
    assert.deepEqual(heard, ['message 5', 'ping Hello', 'message 5', 'close 1000'])
  })

  it('gives the same messages whatever the chunk boundaries (every split, and seeded random ones)', () => {
    const stream = Buffer.concat([
      serverFrame(opcodes.binary, Buffer.alloc(300, 1)),
      serverFrame(opcodes.text, Buffer.from('hi')),
      serverFrame(opcodes.binary, Buffer.alloc(70_000, 2)),
      serverFrame(opcodes.ping, Buffer.from('p')),
      serverFrame(opcodes.binary, Buffer.alloc(0)),
    ])
    const expected = ['message 300', 'message 2', 'message 70000', 'ping p', 'message 0']
    for (let cut = 0; cut <= 320; cut++) {
      const { heard, reader } = recorder()
      reader.push(stream.subarray(0, cut))
      reader.push(stream.subarray(cut))
      assert.deepEqual(heard, expected, `cut at ${cut}`)
    }
    const random = seededRandom(7).uniform
    for (let round = 0; round < 50; round++) {
      const { heard, reader } = recorder()
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(random() * 40)
        reader.push(stream.subarray(at, at + size))
        at += size
      }
      assert.deepEqual(heard, expected)
    }
  })

  it('a message over maxMessageBytes faults at its header (fragments counted together), and reads no more', () => {
    const { heard, reader } = recorder(100)
    reader.push(serverFrame(opcodes.binary, Buffer.alloc(100)))
    reader.push(
      Buffer.concat([serverFrame(opcodes.binary, Buffer.alloc(60), false), serverFrame(0, Buffer.alloc(60))]),
    )
    reader.push(serverFrame(opcodes.text, Buffer.from('never heard')))
    assert.deepEqual(heard, ['message 100', 'fault tooLarge'])
  })

  it('frames that break the RFC fault as protocol errors: a masked server frame, a long ping, a stray continuation', () => {
    for (const bad of [
      Buffer.from([0x82, 0x81, 0, 0, 0, 0, 0]),
      serverFrame(opcodes.ping, Buffer.alloc(126)),
      serverFrame(opcodes.continuation, Buffer.from('x')),
      Buffer.from([0xc2, 0x00]), // RSV1 without an extension
    ]) {
      const { heard, reader } = recorder()
      reader.push(bad)
      assert.deepEqual(heard, ['fault protocol'], bad.toString('hex'))
    }
  })
})

describe('the opening handshake', () => {
  it('Sec-WebSocket-Accept is RFC 6455 §1.3’s example value', () => {
    assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
  })

  it('the request carries the upgrade headers and a 16-byte key; only 101 with the right accept is accepted', () => {
    const { bytes, accept } = upgradeRequest('/ws?x=1', '127.0.0.1:8080')
    const text = bytes.toString('latin1')
    assert.match(
      text,
      /^GET \/ws\?x=1 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n/,
    )
    const key = /Sec-WebSocket-Key: (\S+)/.exec(text)?.[1] ?? ''
    assert.equal(Buffer.from(key, 'base64').length, 16)
    assert.equal(accept, acceptFor(key))
    const ok = Buffer.from(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSEC-WEBSOCKET-ACCEPT: ${accept}\r\n\r\n\x81\x00`,
      'latin1',
    )
    assert.deepEqual(readUpgradeResponse(ok, accept), { status: 101, accepted: true, headEnd: ok.length - 2 })
    const wrong = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n')
    assert.equal(readUpgradeResponse(wrong, accept)?.accepted, false)
    const notFound = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
    assert.deepEqual(readUpgradeResponse(notFound, accept), {
      status: 404,
      accepted: false,
      headEnd: notFound.length,
    })
    assert.equal(readUpgradeResponse(Buffer.from('HTTP/1.1 101 Switching'), accept), undefined)
  })
})
