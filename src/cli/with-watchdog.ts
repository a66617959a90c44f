import { startWatchdog } from '../watchdog/start-watchdog.js'
import type { RecordedProcess } from '../watchdog/stop-recorded-groups.js'

/**
 * Runs `work` under a watchdog: every process it reports through `onSpawn` is stopped by the watchdog if bench
 * dies before `work` ends (SIGKILL, a crash). When `work` ends, however it ends, its own cleanup has run, and
 * the watchdog is told so.
 */
export async function withWatchdog<T>(
  work: (onSpawn: (process: RecordedProcess) => void) => Promise<T>,
): Promise<T> {
  const watchdog = startWatchdog()
  try {
    return await work(watchdog.track)
  } finally {
    watchdog.bye()
  }
}
