import type { ProgressEvent } from '../execute/run-plan.js'
import { estimateStepMs, stackOverheadMs } from '../plan/build-plan.js'
import { formatInteger } from '../report/format-number.js'
import { paint } from '../report/paint.js'
import { type ProgressLineState, renderProgressLine } from '../report/render-progress-line.js'
import { renderStepLine } from '../report/render-step-line.js'
import type { ProgressMode } from './progress-mode.js'

export interface ProgressPrinter {
  onProgress(event: ProgressEvent): void
  /** A line of its own (a capacity search step, say), in place of the live line. */
  line(text: string): void
  /** Clears the live line: before anything else is written to the terminal. */
  close(): void
}

export interface ProgressPrinterOptions extends ProgressMode {
  write: (text: string) => void
  /** The terminal's width, read at every redraw. */
  columns: () => number
  now: () => number
  /** The plan's estimate, for the run's time left; none for a capacity search, whose steps are chosen as it goes. */
  estimatedMs?: number | undefined
  trials: number
}

/** Redraws at most this often (the engine reports about twice a second). */
const redrawIntervalMs = 250

/** Erase the terminal line and return to its start (ANSI EL 2). */
const eraseLine = '\r\x1b[2K'

/**
 * Prints runPlan's events on stderr. Plain: one line per stack start and per step (what CI and logs see).
 * Live: the same lines, coloured by verdict, and in between one line per running step redrawn in place with
 * its elapsed time, current req/s, p99 so far, errors and the run's time left.
 */
export function createProgressPrinter(o: ProgressPrinterOptions): ProgressPrinter {
  let drawn = false // a live line is on screen
  let lastDraw = Number.NEGATIVE_INFINITY
  let doneMs = 0 // the plan estimate's share of what has run
  let current:
    | { run: unknown; step: unknown; state: ProgressLineState; successes: number; elapsedMs: number }
    | undefined
  const clear = () => {
    if (drawn) o.write(eraseLine)
    drawn = false
  }
  const line = (text: string) => {
    clear()
    o.write(`${text}\n`)
  }
  const draw = () => {
    if (!current) return
    o.write(`${eraseLine}${renderProgressLine(current.state, Math.max(20, o.columns() - 1))}`)
    drawn = true
    lastDraw = o.now()
  }
  const remaining = (stepMs: number) =>
    o.estimatedMs === undefined ? undefined : Math.max(0, o.estimatedMs - doneMs - stepMs)

  const onProgress = (event: ProgressEvent) => {
    const run = event.run
    const trial = ` (trial ${run.trial + 1})`
    switch (event.kind) {
      case 'stack-started':
        doneMs += stackOverheadMs
        line(
          `[${event.index + 1}/${event.total}] ${run.stack.name}${trial} ready in ${formatInteger(event.startupMs)} ms`,
        )
        break
      case 'stack-failed':
        doneMs += stackOverheadMs
        line(
          paint(
            `[${event.index + 1}/${event.total}] ${run.stack.name}${trial} FAILED: ${event.error.message}`,
            'red',
            o.colour,
          ),
        )
        break
      case 'step-done':
        doneMs += estimateStepMs(event.step)
        current = undefined
        // live, on a terminal: a long line (a suspect step's reasons) is broken to its width, not wrapped by it
        line(
          renderStepLine(event.record, {
            verdict: o.live,
            colour: o.colour,
            width: o.live ? o.columns() : undefined,
          }),
        )
        break
      case 'step-progress': {
        if (!o.live) break
        const { step, progress } = event
        const same = current?.run === run && current.step === step
        const interval = same && current ? progress.elapsedMs - current.elapsedMs : progress.elapsedMs
        const gained = same && current ? progress.successes - current.successes : progress.successes
        const load = step.load
        current = {
          run,
          step,
          successes: progress.successes,
          elapsedMs: progress.elapsedMs,
          state: {
            stack: run.stack.name,
            trial: run.trial,
            trials: o.trials,
            phase: step.phase,
            load:
              load.loop === 'open'
                ? { loop: 'open', rate: load.rate, durationMs: load.durationMs }
                : { loop: 'closed', connections: load.connections, durationMs: load.durationMs },
            elapsedMs: progress.elapsedMs,
            reqPerSec: interval > 0 ? (gained * 1000) / interval : current?.state.reqPerSec,
            p99Ms: progress.p99Ms,
            errors: progress.errors,
            runRemainingMs: remaining(Math.min(progress.elapsedMs, estimateStepMs(step))),
          },
        }
        if (!same || o.now() - lastDraw >= redrawIntervalMs) draw()
        break
      }
    }
  }
  return {
    onProgress,
    line,
    close: clear,
  }
}
