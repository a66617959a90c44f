import { BenchError } from '../bench-error.js'
import { closestMatch } from './closest-match.js'
import type { Profile } from './schema.js'

/** The profile with only the named stacks (`bench run <profile> --stacks a,b`), in the profile's order. */
export function selectStacks(profile: Profile, names: readonly string[]): Profile {
  const known = profile.stacks.map((s) => s.name)
  for (const name of names) {
    if (known.includes(name)) continue
    const guess = closestMatch(name, known)
    throw new BenchError(
      'input',
      `--stacks names "${name}", which the profile does not define`,
      `${guess ? `did you mean "${guess}"? ` : ''}its stacks are ${known.join(', ')}`,
    )
  }
  return { ...profile, stacks: profile.stacks.filter((s) => names.includes(s.name)) }
}
