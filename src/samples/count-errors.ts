import { errorClasses } from './error-classes.js'
import type { ErrorCounts } from './sample-schemas.js'

/** Failed requests of every class, non-2xx statuses included. */
export function countErrors(errors: ErrorCounts): number {
  let n = 0
  for (const kind of errorClasses) n += errors[kind]
  for (const count of Object.values(errors.status)) n += count
  return n
}
