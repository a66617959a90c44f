import type { ProgressEvent } from '../execute/run-plan.js'
import { describeErrors } from '../report/describe-errors.js'
import { formatInteger } from '../report/format-number.js'

/** One line per event on stderr, so stdout holds only the tables. */
export function printProgress(event: ProgressEvent): void {
  const write = (line: string) => process.stderr.write(`${line}\n`)
  switch (event.kind) {
    case 'stack-started':
      write(
        `[${event.index + 1}/${event.total}] ${event.run.stack.name} (trial ${event.run.trial + 1}) ready in ${formatInteger(event.startupMs)} ms`,
      )
      break
    case 'stack-failed':
      write(
        `[${event.index + 1}/${event.total}] ${event.run.stack.name} (trial ${event.run.trial + 1}) FAILED: ${event.error.message}`,
      )
      break
    case 'step-done': {
      const { record } = event
      const where = `    ${record.phase} c=${record.connections}`
      if (!record.sample) {
        write(`${where}: skipped (${record.failure?.message ?? 'failed'})`)
        break
      }
      const rate = (record.sample.successes * 1000) / record.sample.durationMs
      const errors = describeErrors(record.sample.errors)
      const failed = record.failure ? `  FAILED: ${record.failure.message}` : ''
      write(`${where}: ${formatInteger(rate)} req/s${errors ? `, errors: ${errors}` : ''}${failed}`)
      break
    }
  }
}
