import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

function toMs(value: string, unit: string): number {
  const n = Number(value)
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n
}

/** wrk as the independent reference: its p50/p99 latency (ms) and req/s against `url`. */
export async function runWrk(url: string, connections: number, seconds: number) {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    timeout: (seconds + 30) * 1000,
  })
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(stdout)
    if (!match) throw new Error(`no ${p}% line in wrk output:\n${stdout}`)
    return toMs(match[1] as string, match[2] as string)
  }
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(stdout)
  return { p50: percentile('50'), p99: percentile('99'), reqPerSec: Number(rate?.[1]), output: stdout }
}
