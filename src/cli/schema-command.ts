import { profileJsonSchema } from '../profile/profile-json-schema.js'
import { renderProfileReference } from '../profile/render-profile-reference.js'
import { resultsJsonSchema } from '../results/results-json-schema.js'

/**
 * bench schema: the JSON Schema of a profile (or, --results, of a results file), generated from the zod schema,
 * on stdout; --markdown: the profile reference page generated from the same schema.
 */
export function schemaCommand(args: { results?: boolean | undefined; markdown?: boolean | undefined }): void {
  if (args.markdown) {
    process.stdout.write(renderProfileReference())
    return
  }
  const schema = args.results ? resultsJsonSchema() : profileJsonSchema()
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`)
}
