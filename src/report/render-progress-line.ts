import type { LoadSpec } from '../load/contract/load-spec.js'
import { describeRate } from '../plan/describe-rate.js'
import { formatDuration, formatInteger, formatMs } from './format-number.js'

/** What the live line of a running step shows: everything it needs, nothing read from a clock. */
export interface ProgressLineState {
  stack: string
  /** 0-based, as in the plan. */
  trial: number
  /** Trials in the run: the trial is named only when there are several. */
  trials: number
  phase: string
  load: Pick<LoadSpec, 'durationMs'> &
    ({ loop: 'closed'; connections: number } | { loop: 'open'; rate: { from: number; to: number } })
  elapsedMs: number
  /** Responses per second over the last interval; undefined before the first one. */
  reqPerSec?: number | undefined
  /** 0 until a response is measured (shown as "—"). */
  p99Ms: number
  errors: number
  /** The whole run's estimated time left; undefined when it cannot be known (a capacity search). */
  runRemainingMs?: number | undefined
}

/** "3.1s" under a minute, "2m05s" above. */
function seconds(ms: number): string {
  return ms < 59_950 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms)
}

const barWidth = { min: 6, max: 24 }

/**
 * The live progress line of a step, at most `width` characters (a terminal line must not wrap, or redrawing
 * it in place leaves copies behind):
 * `    node · hello c=50 [#######.......]  52 % 3.1s/6.0s  12,345 req/s  p99 4.56 ms  0 errors  run: 2m05s left`.
 * The bar is dropped first when the line is too wide, then the line is cut.
 */
export function renderProgressLine(state: ProgressLineState, width: number): string {
  const { load } = state
  const share = load.durationMs > 0 ? Math.min(1, Math.max(0, state.elapsedMs / load.durationMs)) : 0
  const what = load.loop === 'closed' ? `c=${load.connections}` : describeRate(load.rate)
  const trial = state.trials > 1 ? ` (trial ${state.trial + 1})` : ''
  const head = `    ${state.stack}${trial} · ${state.phase} ${what}`
  const elapsed = `${String(Math.floor(share * 100)).padStart(3)} % ${seconds(Math.min(state.elapsedMs, load.durationMs))}/${seconds(load.durationMs)}`
  const rate = state.reqPerSec === undefined ? '… req/s' : `${formatInteger(state.reqPerSec)} req/s`
  const errors = `${formatInteger(state.errors)} error${state.errors === 1 ? '' : 's'}`
  const run = state.runRemainingMs === undefined ? '' : `  run: ${formatDuration(state.runRemainingMs)} left`
  const tail = `  ${elapsed}  ${rate}  p99 ${formatMs(state.p99Ms > 0 ? state.p99Ms : null)} ms  ${errors}${run}`
  const room = width - head.length - tail.length - 3 // " [" and "]"
  if (room >= barWidth.min) {
    const cells = Math.min(barWidth.max, room)
    const done = Math.round(share * cells)
    return `${head} [${'#'.repeat(done)}${'.'.repeat(cells - done)}]${tail}`
  }
  const line = `${head}${tail}`
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`
}
