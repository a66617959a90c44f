import { existsSync } from 'node:fs'
import { BenchError } from '../bench-error.js'
import { formatPath } from '../profile/profile-issue.js'
import { readInputFile } from '../read-input-file.js'
import { foldRecords } from './fold-records.js'
import { parseRecords } from './read-records.js'
import { recordsFile } from './records-file.js'
import { type ResultSet, resultSchemaVersion, resultSetSchema } from './results-file-schema.js'
import { upgradeResultSet } from './upgrade-result-set.js'

interface ReadOptions {
  /**
   * A results file that still says "running" holds only the run's start (bench was killed, or is still
   * running): read its records file instead, when there is one. On by default.
   */
  followRecords?: boolean
}

/** A records file (.jsonl) folded into the result set it stands for. */
function readRecords(file: string, role: string): ResultSet {
  const records = parseRecords(readInputFile(file, `the ${role}`, 'check the path'), file)
  if (records[0]?.kind !== 'run-started') {
    throw new BenchError(
      'input',
      `the ${role} ${file} is not a bench records file (its first line is not the run's start)`,
      'give a records file written by bench run (results/<name>.jsonl)',
    )
  }
  return foldRecords(records)
}

/**
 * Reads a results file written by `bench run` or `bench capacity` — the JSON, or the records file (.jsonl)
 * beside it, which holds a killed run up to its last record — refusing anything else with a message that says
 * why.
 */
export function readResultSet(file: string, role: string, options: ReadOptions = {}): ResultSet {
  if (file.endsWith('.jsonl')) return readRecords(file, role)
  const text = readInputFile(file, `the ${role}`, 'check the path')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new BenchError(
      'input',
      `the ${role} ${file} is not JSON (${(error as Error).message})`,
      'give a results file written by bench run',
    )
  }
  data = upgradeResultSet(data) // a file of an older version that this bench still reads
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion
  if (typeof data !== 'object' || data === null || version === undefined) {
    throw new BenchError(
      'input',
      `the ${role} ${file} is not a bench results file (it has no schemaVersion)`,
      'give a results file written by bench run',
    )
  }
  if (version !== resultSchemaVersion) {
    throw new BenchError(
      'input',
      `the ${role} ${file} has results schema version ${String(version)}; this bench reads version ${resultSchemaVersion}`,
      'measure the baseline again with this version of bench',
    )
  }
  const parsed = resultSetSchema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new BenchError(
      'input',
      `the ${role} ${file} is not a valid bench results file: ${formatPath((issue?.path as (string | number)[]) ?? [])}: ${issue?.message}`,
      'give an unedited results file written by bench run',
    )
  }
  const records = recordsFile(file)
  if (parsed.data.status === 'running' && (options.followRecords ?? true) && existsSync(records))
    return readRecords(records, role)
  return parsed.data
}
