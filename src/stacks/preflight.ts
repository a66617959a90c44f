import { BenchError } from '../bench-error.js'
import type { Profile } from '../profile/schema.js'
import { checkBinaries } from './check-binaries.js'
import { isPortFree } from './free-port.js'

/** Before any process starts: every binary is installed and every fixed port is free. */
export async function preflight(profile: Profile, profileDir: string): Promise<void> {
  const problems = checkBinaries(profile, profileDir)
  for (const stack of profile.stacks) {
    if (stack.port !== undefined && !(await isPortFree(profile.host, stack.port))) {
      problems.push(
        new BenchError(
          'environment',
          `port ${stack.port} on ${profile.host} (stack "${stack.name}") is already in use by another process`,
          'stop whatever holds it (`ss -ltnp` names it), or remove port: so bench picks a free one',
        ),
      )
    }
  }
  const [first, ...rest] = problems
  if (!first) return
  if (rest.length === 0) throw first
  throw new BenchError(
    'environment',
    problems.map((p) => `${p.message}\n    fix: ${p.fix}`).join('\n'),
    'fix the problems above (npm run setup installs every binary the shipped stacks need)',
  )
}
