import { computeCellStats } from '../stats/compute-cell-stats.js'
import { judgeCell } from '../stats/judge-cell.js'
import type { TrialRecord } from '../stats/trial-record-schema.js'
import { describeErrors } from './describe-errors.js'
import { formatInteger } from './format-number.js'
import { paint } from './paint.js'

export interface StepLineOptions {
  /** Name the verdict of a suspect step (the live view); the plain lines never do. */
  verdict: boolean
  /** ANSI colours: ok green, suspect yellow, failed red. */
  colour: boolean
}

/**
 * The line a finished step leaves on stderr: `    hello c=50: 12,345 req/s, errors: 502×3` (a WebSocket step:
 * `    hold c=1000: 1,000 of 1,000 established`, with its msgs/s when it sends any). With `verdict`, a
 * suspect step says why (`suspect: achieved 410 of 500 req/s offered (82 %)`); with `colour`, it is painted
 * by its verdict. A step from several machines adds its agents and start skew (`, 2 agents, start skew 0.4 ms`).
 */
export function renderStepLine(record: TrialRecord, options: StepLineOptions): string {
  const where = `    ${record.phase} c=${record.connections}`
  if (!record.sample) {
    return paint(`${where}: skipped (${record.failure?.message ?? 'failed'})`, 'red', options.colour)
  }
  const rate = (record.sample.successes * 1000) / record.sample.durationMs
  const errors = describeErrors(record.sample.errors)
  const failed = record.failure ? `  FAILED: ${record.failure.message}` : ''
  const ws = record.sample.websocket
  const what = ws
    ? `${formatInteger(ws.established)} of ${formatInteger(ws.connections)} established${rate > 0 ? `, ${formatInteger(rate)} msgs/s` : ''}`
    : `${formatInteger(rate)} req/s`
  // load from several machines: how far apart the agents started
  const skew = record.sample.generator?.startSkewMs
  const agents =
    skew !== undefined
      ? `, ${record.sample.generator?.agents?.length ?? 0} agents, start skew ${skew.toFixed(1)} ms`
      : ''
  const line = `${where}: ${what}${errors ? `, errors: ${errors}` : ''}${agents}`
  if (record.failure) return paint(`${line}${failed}`, 'red', options.colour)
  if (!options.verdict && !options.colour) return line
  const judged = judgeCell(computeCellStats([record.sample], [record.resources ?? []]))
  if (judged.status === 'ok') return paint(line, 'green', options.colour)
  const why = options.verdict ? `  suspect: ${judged.reasons.map((r) => r.message).join('; ')}` : ''
  return paint(`${line}${why}`, 'yellow', options.colour)
}
