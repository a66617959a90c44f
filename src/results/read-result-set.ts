import { BenchError } from '../bench-error.js'
import { formatPath } from '../profile/profile-issue.js'
import { readInputFile } from '../read-input-file.js'
import { type ResultSet, resultSchemaVersion, resultSetSchema } from './result-set-schema.js'

/** Reads a results file written by `bench run`, refusing anything else with a message that says why. */
export function readResultSet(file: string, role: string): ResultSet {
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
  return parsed.data
}
