/**
 * The :status of an HTTP/2 response header block (RFC 7541), or -1 if it cannot be read. bench announces a
 * header table size of 0, so the server's dynamic table is always empty and the only fields to decode are the
 * first: :status, which RFC 9113 §8.3 puts before every other field. It is a static-table index (200, 204, 206,
 * 304, 400, 404, 500) or a literal with the :status name, its value raw or Huffman-coded digits. No header
 * objects are built: the rest of the block is not looked at.
 */
const staticStatus = [200, 204, 206, 304, 400, 404, 500] // static table indexes 8–14

/** Huffman codes of '0'–'9' (RFC 7541 Appendix B): 5 bits for 0–2, 6 bits for 3–9. */
function huffmanDigits(block: Uint8Array, start: number, length: number): number {
  let bits = 0
  let count = 0
  let value = 0
  let digits = 0
  for (let i = start; i < start + length && digits < 3; i++) {
    bits = (bits << 8) | (block[i] as number)
    count += 8
    while (count >= 5 && digits < 3) {
      const five = (bits >> (count - 5)) & 0x1f
      if (five <= 2) {
        value = value * 10 + five
        count -= 5
      } else if (count >= 6) {
        const six = (bits >> (count - 6)) & 0x3f
        if (six < 0x19 || six > 0x1f) return -1
        value = value * 10 + (six - 0x19 + 3)
        count -= 6
      } else break
      digits++
    }
    bits &= (1 << count) - 1
  }
  return digits === 3 ? value : -1
}

/** An HPACK integer with an N-bit prefix at block[at]: [value, next offset], or [-1, 0]. */
function integer(block: Uint8Array, at: number, end: number, prefixBits: number): [number, number] {
  const max = (1 << prefixBits) - 1
  let value = (block[at] as number) & max
  let i = at + 1
  if (value < max) return [value, i]
  let shift = 0
  for (; i < end; i++) {
    const b = block[i] as number
    value += (b & 0x7f) * 2 ** shift
    shift += 7
    if ((b & 0x80) === 0) return [value, i + 1]
  }
  return [-1, 0]
}

export function readStatus(block: Uint8Array, start: number, end: number): number {
  let at = start
  while (at < end) {
    const b = block[at] as number
    if ((b & 0xe0) === 0x20) {
      at = integer(block, at, end, 5)[1] // a dynamic table size update (to 0): skipped
      if (at === 0) return -1
      continue
    }
    if (b & 0x80) {
      const [index] = integer(block, at, end, 7)
      return index >= 8 && index <= 14 ? (staticStatus[index - 8] as number) : -1
    }
    // a literal: with incremental indexing (01, 6-bit name index) or without / never indexed (000x, 4-bit)
    const [name, next] = integer(block, at, end, (b & 0xc0) === 0x40 ? 6 : 4)
    if (name < 8 || name > 14 || next >= end) return -1 // the first field is not :status
    const huffman = ((block[next] as number) & 0x80) !== 0
    const [length, from] = integer(block, next, end, 7)
    if (length < 0 || from + length > end) return -1
    if (huffman) return huffmanDigits(block, from, length)
    if (length !== 3) return -1
    let status = 0
    for (let i = from; i < from + 3; i++) {
      const d = (block[i] as number) - 48
      if (d < 0 || d > 9) return -1
      status = status * 10 + d
    }
    return status
  }
  return -1
}
