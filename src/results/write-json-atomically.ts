import { writeTextAtomically } from './write-text-atomically.js'

/**
 * Writes `value` as JSON so that the file at `path` is always either the previous complete version or the new
 * one (see writeTextAtomically). Synchronous so that it can run in a signal handler.
 */
export function writeJsonAtomically(path: string, value: unknown): void {
  writeTextAtomically(path, `${JSON.stringify(value, null, 2)}\n`)
}
