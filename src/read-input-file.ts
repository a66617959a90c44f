import { readFileSync } from 'node:fs'
import { BenchError } from './bench-error.js'

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
}

/** A file the user named, as text — or an input error saying which file could not be read, why, and the fix. */
export function readInputFile(file: string, what: string, fix: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new BenchError('input', `cannot read ${what} ${file}: ${reasons[code] ?? code}`, fix)
  }
}
