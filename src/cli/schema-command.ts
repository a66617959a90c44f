import { profileJsonSchema } from '../profile/profile-json-schema.js'
import { resultsJsonSchema } from '../results/results-json-schema.js'

/** bench schema: the JSON Schema of a profile (or, --results, of a results file), generated from the zod schema, on stdout. */
export function schemaCommand(args: { results?: boolean | undefined }): void {
  const schema = args.results ? resultsJsonSchema() : profileJsonSchema()
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`)
}
