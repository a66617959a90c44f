/**
 * wrk2 (Gil Tene's open-loop wrk) as an independent reference at a fixed rate: req/s and p50/p99 latency
 * (ms), both corrected for coordinated omission (measured from when each request was due) and uncorrected
 * (-U, measured from when it was actually sent). The binary is `options.binary` or $WRK2; nothing here
 * builds it.
 *
 * How wrk2 behaves, found by experiment (wrk2 44a94c1, nginx `return 200` on loopback, -t1 -c100, 10k req/s):
 * - Calibration: each thread samples for 10 s + 5 ms per connection of its own (10.5 s at -t1 -c100),
 *   prints "Thread calibration: ...", then resets both latency histograms. Every percentile covers only the
 *   time after that: -d15s recorded 4.5 s (45,000 of its 147,554 responses).
 * - Requests/sec is all responses over the whole run, calibration included (147,554 / 15 s = 9,834), not
 *   the rate of the recorded window.
 * - A run shorter than the calibration (-d5s) never calibrates: the histograms cover the whole run from the
 *   first connection, warm-up included, and the thread stats print "Req/Sec -nan". Its latencies are usable;
 *   its Requests/sec is not. wrk2's event loop sleeps up to 1 s when a timer is already overdue and no socket
 *   is open yet, so all connections can start ~1 s late (nginx saw nothing for 1.0 s, then exactly 10,000/s),
 *   and that second counts in the runtime: -R10000 gave 7,998 req/s at -d5s and 6,671 at -d3s. It depends
 *   on timing (a 10-connection run did not stall; of three -d15s runs one did: 27,997 req/s at -R30000, its
 *   recorded window exactly 30,000/s), and costs a long run at most that second. Connections also start
 *   5 ms apart, so a run loses ~0.25 s of requests on average besides (2,446 of 150,000 at 10k for 15 s).
 * - Corrected latency includes wrk2's own lateness: it waits for a request's due time in whole milliseconds
 *   (rounded up), so corrected p50 sits ~1 ms above uncorrected even when the server keeps up (1.63 vs
 *   0.59 ms at -d5s).
 * So a caller should use seconds >= 20 (about 10 s recorded after the calibration at <= 100 connections per
 * thread) and read reqPerSec as "did it keep up with rate" (it can be ~5% low at 20 s from the stall alone).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export type Wrk2Result = {
  reqPerSec: number
  /** Responses recorded after the calibration ÷ the time they were recorded over: the rate it really kept. */
  recordedReqPerSec: number
  corrected: { p50: number; p99: number }
  uncorrected: { p50: number; p99: number }
  output: string
}

const CORRECTED = 'Latency Distribution (HdrHistogram - Recorded Latency)'
const UNCORRECTED = 'Uncorrected Latency (measured without taking delayed starts into account)'

function toMs(value: string, unit: string): number {
  const n = Number(value)
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  return n * (scale[unit] ?? Number.NaN)
}

/** The p50 and p99 (ms) of the latency distribution whose heading is `heading`, up to the next heading. */
function distribution(output: string, heading: string, end: string | undefined) {
  const start = output.indexOf(heading)
  if (start < 0) throw new Error(`no "${heading}" in wrk2 output:\n${output}`)
  const stop = end === undefined ? -1 : output.indexOf(end, start + heading.length)
  const section = output.slice(start, stop < 0 ? undefined : stop)
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s*${p}\\.000%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(section)
    if (!match) throw new Error(`no ${p}.000% line under "${heading}" in wrk2 output:\n${output}`)
    return toMs(match[1] as string, match[2] as string)
  }
  return { p50: percentile('50'), p99: percentile('99') }
}

/** wrk2 at a constant `rate` req/s against `url`: achieved req/s, corrected and uncorrected p50/p99 (ms). */
export async function runWrk2(
  url: string,
  options: { rate: number; connections: number; seconds: number; threads?: number; binary?: string },
): Promise<Wrk2Result> {
  const binary = options.binary ?? process.env.WRK2
  if (!binary) throw new Error('no wrk2 binary: pass options.binary or set WRK2')
  const { rate, connections, seconds, threads = 1 } = options
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, `-R${rate}`, '--latency', '-U', url]
  let output: string
  try {
    output = (await run(binary, args, { timeout: (seconds + 60) * 1000 })).stdout
  } catch (error) {
    const e = error as { message: string; stdout?: string; stderr?: string }
    throw new Error(`${binary} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
  const reqPerSec = /^Requests\/sec:\s+([\d.]+)\s*$/m.exec(output)
  if (!reqPerSec) throw new Error(`no Requests/sec line in wrk2 output:\n${output}`)
  const corrected = output.slice(output.indexOf(CORRECTED), output.indexOf(UNCORRECTED))
  const total = /Total count\s*=\s*(\d+)/.exec(corrected)
  if (!total) throw new Error(`no Total count under "${CORRECTED}" in wrk2 output:\n${output}`)
  const calibrationS = 10 + (0.005 * connections) / threads
  return {
    reqPerSec: Number(reqPerSec[1]),
    recordedReqPerSec: seconds > calibrationS ? Number(total[1]) / (seconds - calibrationS) : Number.NaN,
    corrected: distribution(output, CORRECTED, UNCORRECTED),
    uncorrected: distribution(output, UNCORRECTED, undefined),
    output,
  }
}
