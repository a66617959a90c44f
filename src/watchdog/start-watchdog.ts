import { spawn } from 'node:child_process'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { RecordedProcess } from './stop-recorded-groups.js'

export interface Watchdog {
  /** Tells the watchdog a process bench just started (the leader of its own process group). */
  track(process: RecordedProcess): void
  /** bench ends cleanly, its own cleanup done: the watchdog exits without stopping anything. */
  bye(): void
}

/**
 * Starts the watchdog of a run: a detached process holding a pipe from bench. When bench dies by any means,
 * SIGKILL included, the pipe closes without "bye" and the watchdog stops every process group bench told it
 * of, checking first that each is still the process bench started (see watchdog-main.ts).
 */
export function startWatchdog(): Watchdog {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./watchdog-main.js', import.meta.url))], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  child.on('error', () => {}) // reported by the writes below failing, which are ignored too: bench's own cleanup still runs
  child.unref()
  const pipe = child.stdin as Socket
  pipe.on('error', () => {}) // EPIPE: the watchdog is gone
  pipe.unref() // an idle pipe must not keep bench running
  return {
    track: (p) => {
      pipe.write(`${JSON.stringify({ track: { name: p.name, pid: p.pid, startTime: p.startTime } })}\n`)
    },
    bye: () => {
      pipe.end('bye\n')
    },
  }
}
