import { errorClasses } from '../samples/error-classes.js'
import type { ErrorCounts } from '../samples/sample-schemas.js'
import { formatInteger } from './format-number.js'

/** "connect 12, 502×3,401" — each error class with its count; empty when there were none. */
export function describeErrors(errors: ErrorCounts): string {
  const parts = errorClasses
    .filter((kind) => errors[kind] > 0)
    .map((kind) => `${kind} ${formatInteger(errors[kind])}`)
  for (const [status, count] of Object.entries(errors.status)) parts.push(`${status}×${formatInteger(count)}`)
  return parts.join(', ')
}
