/**
 * What ResponseParser costs per response: a typical nginx answer (`HTTP/1.1 200 OK`, Server, Date,
 * Content-Type, Content-Length: 3, Connection: keep-alive, body `ok\n`) parsed 2 million times, 50
 * concatenated responses per execute() call (pipelined, or a burst read in one go) and one per call.
 * Run with `npm run build && node dist/scripts/bench-parser.js`; the figures are in the parser's opening
 * comment. ROUNDS (default 5) rounds of each, interleaved; the median round is printed, in CPU time, next to
 * a loop that only reads each byte once (the floor for anything that looks at the head bytes).
 */
import { ResponseParser, type ResponseSink } from '../src/load/http1/response-parser.js'

const total = 2_000_000
const batch = 50
const rounds = Number(process.env.ROUNDS ?? 5)

const response =
  'HTTP/1.1 200 OK\r\n' +
  'Server: nginx/1.24.0\r\n' +
  'Date: Mon, 06 Jan 2025 12:00:00 GMT\r\n' +
  'Content-Type: text/plain\r\n' +
  'Content-Length: 3\r\n' +
  'Connection: keep-alive\r\n' +
  '\r\n' +
  'ok\n'
const one = new TextEncoder().encode(response)
const many = new TextEncoder().encode(response.repeat(batch))

let responses = 0
let bytes = 0
const sink: ResponseSink = {
  answersHead: () => false,
  onResponse(status, size) {
    if (status === 200) responses++
    bytes += size
  },
}
const parser = new ResponseParser(sink)

/**
 * ns per response, of CPU time (the process's user + system; it allocates nothing, so there is no GC work
 * on other threads): on a shared machine, wall time would also count the time another process had the core.
 */
function run(buf: Uint8Array, perCall: number): number {
  responses = 0
  bytes = 0
  const calls = total / perCall
  const before = process.cpuUsage()
  for (let c = 0; c < calls; c++) {
    if (parser.execute(buf, 0, buf.length) !== 0) throw new Error('parse error')
  }
  const used = process.cpuUsage(before)
  if (responses !== total || bytes !== total * one.length) throw new Error(`parsed ${responses} responses`)
  return ((used.user + used.system) * 1000) / total
}

/** The floor, for scale: a loop that only reads each byte once (counts LFs), over the same 50 responses. */
function scan(buf: Uint8Array): number {
  let lines = 0
  const before = process.cpuUsage()
  for (let c = 0; c < total / batch; c++) {
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++
  }
  const used = process.cpuUsage(before)
  if (lines !== (total / batch) * 8 * batch) throw new Error(`counted ${lines} lines`)
  return ((used.user + used.system) * 1000) / total
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

run(many, batch) // warm-up: let the JIT settle
run(one, 1)
scan(many)
const batched: number[] = []
const single: number[] = []
const floor: number[] = []
for (let r = 0; r < rounds; r++) {
  batched.push(run(many, batch))
  single.push(run(one, 1))
  floor.push(scan(many))
}
const fmt = (xs: number[]) =>
  `${median(xs).toFixed(0)} ns (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})`
console.log(`response: ${one.length} bytes, ${total} responses per round, ${rounds} rounds, median`)
console.log(`${batch} per execute(): ${fmt(batched)} per response`)
console.log(`1 per execute():  ${fmt(single)} per response`)
console.log(`a loop reading each byte once, for scale: ${fmt(floor)} per response`)
