import type { LoadEngine } from '../load/load-engine.js'
import { createThreadedEngine } from '../load/threaded-engine.js'
import type { RecordedProcess } from '../watchdog/stop-recorded-groups.js'
import { withInterrupt } from './with-interrupt.js'
import { withWatchdog } from './with-watchdog.js'

/** What a command's measurement gets: its generator threads, the interrupt signal and bench's watchdog. */
export interface MeasureContext {
  engine: LoadEngine
  signal: AbortSignal
  onSpawn: (process: RecordedProcess) => void
}

/**
 * The measured part of bench run and bench capacity: generator threads of its own (ended once it is), Ctrl-C and
 * SIGTERM as an abort signal, the watchdog told of every process, the progress closed at the end; a run that
 * throws is finished as failed. Resolves whether it was interrupted.
 */
export async function measureRun(
  run: (context: MeasureContext) => Promise<unknown>,
  o: { closeProgress: () => void; finishFailed: () => void },
): Promise<boolean> {
  const engine = createThreadedEngine()
  try {
    return await withInterrupt(async (signal) => {
      await withWatchdog((onSpawn) => run({ engine, signal, onSpawn }))
      return signal.aborted
    }).finally(async () => {
      o.closeProgress()
      await engine.close()
    })
  } catch (error) {
    o.finishFailed()
    throw error
  }
}
