import { profileJsonSchema } from '../profile/profile-json-schema.js'

/** bench schema: the JSON Schema of a profile, generated from the zod schema, on stdout. */
export function schemaCommand(): void {
  process.stdout.write(`${JSON.stringify(profileJsonSchema(), null, 2)}\n`)
}
