import { z } from 'zod'
import { resultSchemaVersion, resultSetSchema } from './results-file-schema.js'

type JsonSchema = Record<string, unknown>

/**
 * The JSON Schema of a results file of the current schemaVersion, generated from the zod schema that reads it
 * (never written by hand), so that other tools can read results without guessing. Draft-07. zod's input side:
 * what bench accepts as this version, so a key added within the version with a default (which files of an
 * older bench lack) is optional. bench itself still reads files of older versions (upgraded on reading).
 */
export function resultsJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(resultSetSchema, { io: 'input', target: 'draft-07' }) as JsonSchema
  const { $schema, ...rest } = generated
  return {
    $schema,
    title: `bench results file, schemaVersion ${resultSchemaVersion}`,
    description:
      'What bench run and bench capacity write (results/<profile>-<time>.json): the run, every trial, the cells folded from them, and the gate or capacity conclusions. See docs/results-files.md of bench.',
    ...rest,
  }
}
