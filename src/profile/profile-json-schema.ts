import { z } from 'zod'
import { duration, durationPattern, profileSchema } from './schema.js'

type JsonSchema = Record<string, unknown>

/**
 * The JSON Schema of a profile, generated from the zod schema (never written by hand), for editors and YAML
 * language servers. It describes what a user writes (zod's input side): keys with a default are optional, and
 * a duration is a number of seconds or a string such as "5s", "250ms" or "2m", its default written that way.
 * Draft-07, which every YAML language server reads. The cross-field rules (a stack's app is defined, …) are
 * beyond a JSON Schema: `bench validate` checks them.
 */
export function profileJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(profileSchema, {
    io: 'input',
    target: 'draft-07',
    override: ({ zodSchema, jsonSchema }) => {
      if (isDuration(zodSchema)) describeDuration(jsonSchema)
      // zod leaves out a default it cannot show on the input side (a transform's output): a duration's, in ms
      const def = (zodSchema as z.core.$ZodTypes)._zod.def
      if (def.type === 'default' && isDuration(def.innerType) && typeof def.defaultValue === 'number')
        jsonSchema.default = formatDuration(def.defaultValue)
      // zod's name for startsWith, not a JSON Schema format; its pattern says the same
      if (jsonSchema.format === 'starts_with') delete jsonSchema.format
    },
  }) as JsonSchema
  const { $schema, ...rest } = generated
  return {
    $schema,
    title: 'bench profile',
    description:
      'A bench load profile: the apps to launch, the stacks to compare and the phases of load. Every key: docs/profile-reference.md of bench.',
    ...rest,
  }
}

/** The duration schema itself, or a refinement of it (`timeout` adds a minimum). */
function isDuration(schema: z.core.$ZodType): boolean {
  for (let s: z.core.$ZodType | undefined = schema; s; s = s._zod.parent) if (s === duration) return true
  return false
}

function describeDuration(jsonSchema: JsonSchema): void {
  delete jsonSchema.type
  jsonSchema.anyOf = [
    { type: 'number', exclusiveMinimum: 0, description: 'seconds' },
    { type: 'string', pattern: durationPattern.source, description: 'e.g. "500ms", "5s" or "2m"' },
  ]
}

/** Milliseconds → the way a profile writes them: "10s", "250ms". */
function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
