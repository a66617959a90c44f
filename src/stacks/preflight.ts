import { BenchError } from '../bench-error.js'
import type { Profile } from '../profile/schema.js'
import { checkBinaries } from './check-binaries.js'
import { freePort, isPortFree } from './free-port.js'
import { machineCpus } from './pin-process.js'

/** Every CPU list of the profile names CPUs this machine has. */
function cpuProblems(profile: Profile): BenchError[] {
  const count = machineCpus().length
  const lists: [string, readonly number[] | undefined][] = [
    ['cpus.generator', profile.cpus?.generator],
    ...profile.stacks.flatMap((stack): [string, readonly number[] | undefined][] => [
      [`stack "${stack.name}" cpus.proxy`, stack.cpus?.proxy],
      [`stack "${stack.name}" cpus.app`, stack.cpus?.app],
      [`stack "${stack.name}" cpus.database`, stack.cpus?.database],
    ]),
  ]
  return lists.flatMap(([where, cpus]) => {
    const missing = (cpus ?? []).filter((cpu) => cpu >= count)
    if (missing.length === 0) return []
    return [
      new BenchError(
        'environment',
        `${where} names CPU ${missing.join(', ')}, but this machine has ${count} (${count === 1 ? '0' : `0-${count - 1}`})`,
        `use CPUs 0 to ${count - 1}, or remove cpus: to leave the placement to the kernel`,
      ),
    ]
  })
}

/** Before any process starts: every binary is installed, every fixed port is free, every CPU exists. */
export async function preflight(profile: Profile, profileDir: string): Promise<void> {
  const problems = checkBinaries(profile, profileDir)
  if (profile.stacks.some((stack) => stack.url === undefined)) {
    // stacks bench launches listen on host: it must be an address of this machine
    const unbindable = await freePort(profile.host).then(
      () => undefined,
      (error: unknown) => error,
    )
    if (unbindable instanceof BenchError) problems.push(unbindable)
    else if (unbindable) throw unbindable
  }
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
  problems.push(...cpuProblems(profile))
  const [first, ...rest] = problems
  if (!first) return
  if (rest.length === 0) throw first
  throw new BenchError(
    'environment',
    problems.map((p) => `${p.message}\n    fix: ${p.fix}`).join('\n'),
    'fix the problems above (npm run setup installs every binary the shipped stacks need)',
  )
}
