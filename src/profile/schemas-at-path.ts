import type { z } from 'zod'

type Schema = z.core.$ZodType
type PathSegment = string | number

/**
 * The input-side schemas a value at `path` may have to satisfy, found by walking `root` along the path: through
 * object keys, array items, record values and every alternative of a union, past optional, default and
 * prefault wrappers, and into the input side of a transform. Several when a union offers several shapes
 * (`rate` is a number, a list or a ramp { from, to }); none when the path leads nowhere in the schema.
 */
export function schemasAtPath(root: Schema, path: readonly PathSegment[]): Schema[] {
  let current = alternatives(root)
  for (const segment of path)
    current = current.flatMap((schema) => child(schema, segment).flatMap(alternatives))
  return current
}

/** `schema` with its wrappers removed, spread into the alternatives of a union. */
function alternatives(schema: Schema): Schema[] {
  const typed = schema as z.core.$ZodTypes
  const def = typed._zod.def
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return alternatives(def.innerType)
    case 'pipe':
      // a transform's input is what the user writes
      return alternatives(def.in)
    case 'lazy':
      return alternatives(def.getter())
    case 'union':
      return def.options.flatMap(alternatives)
    case 'intersection':
      return [...alternatives(def.left), ...alternatives(def.right)]
    default:
      return [schema]
  }
}

/** The schema of the value under `segment` of a value of `schema` (already unwrapped), if it can have one. */
function child(schema: Schema, segment: PathSegment): Schema[] {
  const typed = schema as z.core.$ZodTypes
  const def = typed._zod.def
  switch (def.type) {
    case 'object': {
      const field = typeof segment === 'string' ? def.shape[segment] : undefined
      return field ? [field] : []
    }
    case 'array':
      return typeof segment === 'number' ? [def.element] : []
    case 'tuple': {
      const item = typeof segment === 'number' ? (def.items[segment] ?? def.rest) : undefined
      return item ? [item] : []
    }
    case 'record':
      return [def.valueType]
    default:
      return []
  }
}
