import { preflight } from '../stacks/preflight.js'
import { loadProfile } from './load-profile.js'

/** bench validate: the profile and the binaries it needs; starts nothing. */
export async function validateCommand(args: { profile: string; allowRemote: boolean }): Promise<void> {
  const loaded = loadProfile(args.profile, args.allowRemote)
  await preflight(loaded.profile, loaded.dir)
  process.stdout.write(`${args.profile}: valid\n`)
}
