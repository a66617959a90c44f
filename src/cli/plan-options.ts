import { cpus } from 'node:os'
import type { PlanOptions } from '../plan/build-plan.js'
import type { Profile } from '../profile/schema.js'

/** What planning needs to know of this machine: its CPUs, and those the profile pins bench to. */
export function planOptions(profile: Profile): PlanOptions {
  return { cpuCount: cpus().length, generatorCpus: profile.cpus?.generator }
}
