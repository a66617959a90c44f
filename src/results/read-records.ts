import { BenchError } from '../bench-error.js'
import { type RunRecord, runRecordSchema } from './run-record-schema.js'

/**
 * The records of a records file's text. A last line without its newline is a record cut short by a kill
 * mid-write, and is left out; any other line that is not a record is refused, naming the line.
 */
export function parseRecords(text: string, file: string): RunRecord[] {
  const lines = text.split('\n')
  lines.pop() // after the last newline: empty, or a line cut short
  return lines.map((line, index) => {
    let data: unknown
    try {
      data = JSON.parse(line)
    } catch (error) {
      throw new BenchError(
        'input',
        `${file}:${index + 1} is not a JSON line (${(error as Error).message})`,
        'give a records file written by bench run (results/<name>.jsonl)',
      )
    }
    const parsed = runRecordSchema.safeParse(data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new BenchError(
        'input',
        `${file}:${index + 1} is not a bench record: ${issue?.path.join('.') ?? ''}: ${issue?.message}`,
        'give an unedited records file written by bench run',
      )
    }
    return parsed.data
  })
}
