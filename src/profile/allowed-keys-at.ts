import type { z } from 'zod'
import { profileSchema } from './schema.js'
import { schemasAtPath } from './schemas-at-path.js'

/**
 * The keys an object at `path` of a profile may hold, read from the schema itself (so they cannot drift from
 * it): every key of every object shape allowed there, in the schema's order. Empty where no object is allowed.
 */
export function allowedKeysAt(
  path: readonly (string | number)[],
  root: z.core.$ZodType = profileSchema,
): string[] {
  const keys = schemasAtPath(root, path).flatMap((schema) => {
    const typed = schema as z.core.$ZodTypes
    return typed._zod.def.type === 'object' ? Object.keys(typed._zod.def.shape) : []
  })
  return [...new Set(keys)]
}
