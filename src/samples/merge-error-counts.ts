import { emptyErrorCounts, errorClasses } from './error-classes.js'
import type { ErrorCounts } from './sample-schemas.js'

/** Error counts added class by class and status by status. */
export function mergeErrorCounts(all: readonly ErrorCounts[]): ErrorCounts {
  const merged = emptyErrorCounts()
  for (const e of all) {
    for (const kind of errorClasses) merged[kind] += e[kind]
    for (const [status, n] of Object.entries(e.status))
      merged.status[status] = (merged.status[status] ?? 0) + n
  }
  return merged
}
