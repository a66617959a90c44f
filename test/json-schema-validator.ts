import { Ajv } from 'ajv'
import { parse } from 'yaml'

/**
 * What an editor's YAML language server does with a profile: read the YAML and check it against a JSON
 * Schema, here with ajv (an independent validator, strict about the schema itself). The one adapter of ajv,
 * for tests only. Returns one line per problem, empty when the profile is valid.
 */
export function jsonSchemaProblems(schema: object, yamlText: string): string[] {
  const ajv = new Ajv({
    strict: true,
    allowUnionTypes: true, // ["string", "number"] is valid JSON Schema; strict mode wants it said
    allErrors: true,
    formats: { uri: (text: string) => URL.canParse(text) },
  })
  const validate = ajv.compile(schema)
  if (validate(parse(yamlText))) return []
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  )
}
