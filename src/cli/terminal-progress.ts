import { createProgressPrinter, type ProgressPrinter } from './create-progress-printer.js'
import { progressMode } from './progress-mode.js'

/** The progress printer for this process's stderr: live and coloured on a terminal, plain lines elsewhere. */
export function terminalProgress(o: {
  quiet: boolean
  estimatedMs?: number | undefined
  trials: number
}): ProgressPrinter {
  const stderr = process.stderr
  const mode = progressMode({ isTTY: stderr.isTTY === true, env: process.env, quiet: o.quiet })
  return createProgressPrinter({
    ...mode,
    write: (text) => stderr.write(text),
    columns: () => stderr.columns ?? 80,
    now: () => performance.now(),
    estimatedMs: o.estimatedMs,
    trials: o.trials,
  })
}
