import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeRequestFrames } from '../../src/load/h2/encode-request-frames.js'
import { readStatus } from '../../src/load/h2/read-status.js'

const status = (bytes: number[]) => readStatus(Uint8Array.from(bytes), 0, bytes.length)

describe('readStatus: the :status of an HPACK header block', () => {
  it("reads RFC 7541's own examples: C.5.1 (302, raw), C.6.1 (302, Huffman), C.6.2 (307, Huffman)", () => {
    assert.equal(status([0x48, 0x03, 0x33, 0x30, 0x32, 0x58, 0x07]), 302) // followed by cache-control…
    assert.equal(status([0x48, 0x82, 0x64, 0x02]), 302)
    assert.equal(status([0x48, 0x83, 0x64, 0x0e, 0xff]), 307)
  })

  it('reads every static-table status, after a dynamic table size update', () => {
    assert.deepEqual(
      [0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e].map((b) => status([b])),
      [200, 204, 206, 304, 400, 404, 500],
    )
    assert.equal(status([0x20, 0x88]), 200)
  })

  it('reads literals without indexing and never indexed, and every digit Huffman-coded', () => {
    assert.equal(status([0x08, 0x03, 0x35, 0x30, 0x33]), 503)
    assert.equal(status([0x18, 0x03, 0x34, 0x32, 0x39]), 429)
    // '1' '8' '9' = 00001 011110 011111 + 0-padding of 1s: 00001011 11001111 11111111
    assert.equal(status([0x08, 0x83, 0x0b, 0xcf, 0xff]), 189)
  })

  it('gives -1 for a block whose first field is not :status, or is cut short', () => {
    assert.equal(status([0x82]), -1) // :method GET
    assert.equal(status([0x48, 0x03, 0x33, 0x30]), -1)
    assert.equal(status([]), -1)
  })
})

describe('encodeRequestFrames', () => {
  it('encodes GET / as static-table indexes and :authority as a literal, END_HEADERS | END_STREAM', () => {
    const { bytes, streamIdAt } = encodeRequestFrames({ method: 'GET', path: '/', headers: {} }, 'a:1', false)
    assert.deepEqual(streamIdAt, [5])
    assert.deepEqual([...bytes.subarray(0, 9)], [0, 0, 8, 0x1, 0x5, 0, 0, 0, 0])
    assert.deepEqual([...bytes.subarray(9)], [0x82, 0x86, 0x84, 0x01, 0x03, 0x61, 0x3a, 0x31])
  })

  it('sends a body in a DATA frame with END_STREAM, its Content-Length in the headers, and drops Host', () => {
    const { bytes, streamIdAt } = encodeRequestFrames(
      { method: 'POST', path: '/items', headers: { Host: 'x', 'X-A': 'b' }, body: 'hello' },
      'h',
      true,
    )
    const headersLength = bytes.readUIntBE(0, 3)
    assert.equal(bytes[4], 0x4, 'END_HEADERS only: the body follows')
    const block = bytes.subarray(9, 9 + headersLength)
    assert.equal(block[0], 0x83, ':method POST')
    assert.equal(block[1], 0x87, ':scheme https')
    assert.ok(!block.includes(Buffer.from('x')[0] as number) || !block.toString('latin1').includes('host'))
    assert.ok(block.toString('latin1').includes('x-a\x01b'), 'a lower-cased literal header')
    assert.ok(block.toString('latin1').endsWith('\x0f\x0d\x015'), 'content-length: 5 (static index 28)')
    const data = bytes.subarray(9 + headersLength)
    assert.deepEqual([...data.subarray(0, 5)], [0, 0, 5, 0x0, 0x1])
    assert.equal(data.subarray(9).toString(), 'hello')
    assert.deepEqual(streamIdAt, [5, 9 + headersLength + 5])
  })
})
