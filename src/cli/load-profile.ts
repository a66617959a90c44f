import { dirname, resolve } from 'node:path'
import { BenchError } from '../bench-error.js'
import { parseProfile } from '../profile/parse-profile.js'
import { formatIssue } from '../profile/profile-issue.js'
import type { Profile } from '../profile/schema.js'
import { readInputFile } from '../read-input-file.js'

export interface LoadedProfile {
  profile: Profile
  file: string
  /** Folder that relative paths in the profile resolve against. */
  dir: string
  text: string
}

/** Reads and validates a profile file; every problem is reported at once. */
export function loadProfile(file: string, allowRemote: boolean): LoadedProfile {
  const text = readInputFile(file, 'profile', 'check the path; the shipped profiles are in profiles/')
  const parsed = parseProfile(text, { allowRemote, env: process.env })
  if (!parsed.ok) {
    const n = parsed.issues.length
    throw new BenchError(
      'input',
      `${file} has ${n} problem${n === 1 ? '' : 's'}:\n${parsed.issues.map((i) => formatIssue(file, i)).join('\n')}`,
      `correct ${n === 1 ? 'it' : 'them'}, then check with: bench validate ${file}`,
    )
  }
  return { profile: parsed.profile, file, dir: dirname(resolve(file)), text }
}
