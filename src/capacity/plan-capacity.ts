import {
  buildPlan,
  estimateRunMs,
  type Plan,
  type PlannedStep,
  type PlanOptions,
} from '../plan/build-plan.js'
import { planScaling, type ScalingPlan } from '../plan/plan-scaling.js'
import type { Profile, Slo, StackSpec } from '../profile/schema.js'
import type { CapacitySearch } from './capacity-result-schema.js'
import { planSearchStep } from './plan-search-step.js'
import { searchSettings } from './search-settings.js'
import { simulateSearch } from './simulate-search.js'

/** What the search costs on a stack that holds the SLO up to `limit` req/s and no further. */
export interface SearchExample {
  limit: number
  steps: number
  status: CapacitySearch['status']
  ms: number
}

export interface SearchPlan {
  slo: Slo
  stacks: StackSpec[]
  /** The first step, as a sample of every step's load; a confirmation runs confirmMs instead. */
  first: PlannedStep
  confirmMs: number
  startRate: number
  maxRate: number
  precision: number
  maxSteps: number
  examples: SearchExample[]
  /** One stack's search at its step limit, every step a confirmation's length at worst. */
  worstMsPerStack: number
}

export interface CapacityPlan {
  profile: string
  search?: SearchPlan
  sweep?: { scaling: ScalingPlan; plan: Plan }
  /** The whole run: every stack's search at the cheapest and the dearest example's cost, and at the step limit. */
  estimatedMs: { low: number; high: number }
  worstMs: number
}

/** Limits to show a search's cost for: powers of ten above the start rate up to capacity.maxRate, at most 3. */
function exampleLimits(startRate: number, maxRate: number): number[] {
  const limits: number[] = []
  for (let limit = 10 ** Math.ceil(Math.log10(startRate * 1.0001)); limit <= maxRate; limit *= 10) {
    if (limits.length < 3) limits.push(limit)
  }
  return limits.length ? limits : [maxRate]
}

/**
 * What `bench capacity` would do with this profile: the SLO search (its steps are chosen as results come in,
 * so it is described by its rules and by what it costs on stacks of a few limits) and the scaling sweep (an
 * ordinary plan of variant stacks).
 */
export function planCapacity(profile: Profile, options: PlanOptions): CapacityPlan {
  const plan: CapacityPlan = { profile: profile.name, estimatedMs: { low: 0, high: 0 }, worstMs: 0 }
  if (profile.slo) {
    const { phase, settings } = searchSettings(profile)
    const step = (next: Parameters<typeof planSearchStep>[2], index: number) =>
      planSearchStep(phase, profile.capacity, next, index, options)
    const first = step({ rate: settings.startRate, kind: 'double' }, 0)
    const confirm = step({ rate: settings.startRate, kind: 'confirm' }, 0)
    const examples = exampleLimits(settings.startRate, settings.maxRate).map((limit) => {
      // an ideal stack: within the SLO up to the limit, past it above, the generator never the limit
      const { steps, done } = simulateSearch(settings, (rate) => (rate <= limit ? 'pass' : 'fail'))
      return { limit, steps: steps.length, status: done.status, ms: estimateRunMs(steps.map(step)) }
    })
    const worstMsPerStack = estimateRunMs(Array.from({ length: settings.maxSteps }, () => confirm))
    plan.search = {
      slo: profile.slo,
      stacks: profile.stacks,
      first,
      confirmMs: confirm.load.durationMs,
      startRate: settings.startRate,
      maxRate: settings.maxRate,
      precision: profile.capacity.precision,
      maxSteps: settings.maxSteps,
      examples,
      worstMsPerStack,
    }
    const costs = examples.map((e) => profile.stacks.length * e.ms)
    plan.estimatedMs = { low: Math.min(...costs), high: Math.max(...costs) }
    plan.worstMs = profile.stacks.length * worstMsPerStack
  }
  const scaling = planScaling(profile)
  if (scaling) {
    const sweepPlan = buildPlan(scaling.profile, options)
    plan.sweep = { scaling, plan: sweepPlan }
    plan.estimatedMs.low += sweepPlan.estimatedMs
    plan.estimatedMs.high += sweepPlan.estimatedMs
    plan.worstMs += sweepPlan.estimatedMs
  }
  return plan
}
