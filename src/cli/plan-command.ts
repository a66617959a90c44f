import { planCapacity } from '../capacity/plan-capacity.js'
import { buildPlan } from '../plan/build-plan.js'
import { renderCapacityPlan } from '../report/render-capacity-plan.js'
import { renderPlan } from '../report/render-plan.js'
import { loadProfile } from './load-profile.js'
import { planOptions } from './plan-options.js'

/**
 * bench plan: what would run, in order, with the estimated duration; starts nothing. A profile with `slo:` or
 * `scaling:` is made for bench capacity, so that is what its plan describes, with one line for bench run.
 */
export function planCommand(args: { profile: string; allowRemote: boolean }): void {
  const { profile } = loadProfile(args.profile, args.allowRemote)
  const options = planOptions(profile)
  const run = renderPlan(buildPlan(profile, options))
  const text =
    profile.slo || profile.scaling
      ? `${renderCapacityPlan(planCapacity(profile, options))}\nbench run on it instead: ${run.split('\n')[0]}`
      : run
  process.stdout.write(`${text}\n`)
}
