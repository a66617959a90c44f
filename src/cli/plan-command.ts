import { cpus } from 'node:os'
import { buildPlan } from '../plan/build-plan.js'
import { renderPlan } from '../report/render-plan.js'
import { loadProfile } from './load-profile.js'

/** bench plan: what would run, in order, with the estimated duration; starts nothing. */
export function planCommand(args: { profile: string; allowRemote: boolean }): void {
  const { profile } = loadProfile(args.profile, args.allowRemote)
  process.stdout.write(`${renderPlan(buildPlan(profile, { cpuCount: cpus().length }))}\n`)
}
