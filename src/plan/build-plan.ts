import type { PhaseSpec, Profile, StackSpec } from '../profile/schema.js'
import { expandRequestMix, type PlannedRequest } from './expand-request-mix.js'

/** One closed-loop load: what a load driver needs to run it. */
export interface LoadSpec {
  connections: number
  pipelining: number
  durationMs: number
  timeoutMs: number
  requests: PlannedRequest[]
}

/** One measured cell of the result table, run once per trial. */
export interface PlannedStep {
  phase: string
  /** Index in the phase's connection ladder. */
  step: number
  /** Run just before this step, not measured. */
  warmup?: LoadSpec
  load: LoadSpec
}

/** A stack started once, loaded with every step of every phase, then stopped. */
export interface StackRun {
  trial: number
  stack: StackSpec
  steps: PlannedStep[]
}

export interface Plan {
  profile: string
  trials: number
  runs: StackRun[]
  estimatedMs: number
}

/** Rough allowance per stack start/verify/stop and per step, for the duration estimate. */
const stackOverheadMs = 1500
const stepOverheadMs = 200

function loadSpec(phase: PhaseSpec, connections: number, durationMs: number): LoadSpec {
  return {
    connections,
    pipelining: phase.pipelining,
    durationMs,
    timeoutMs: phase.timeout,
    requests: expandRequestMix(phase.requests),
  }
}

function planSteps(phase: PhaseSpec): PlannedStep[] {
  return phase.connections.map((connections, step) => ({
    phase: phase.name,
    step,
    ...(step === 0 && phase.warmup !== undefined
      ? { warmup: loadSpec(phase, connections, phase.warmup) }
      : {}),
    load: loadSpec(phase, connections, phase.duration),
  }))
}

/**
 * Profile → the ordered list of stack runs. Trials alternate the stack order (A B, B A, …) so that drift
 * on a noisy machine does not favour the stack that always runs first.
 */
export function buildPlan(profile: Profile): Plan {
  const steps = profile.phases.flatMap(planSteps)
  const runs: StackRun[] = []
  for (let trial = 0; trial < profile.trials; trial++) {
    const order = trial % 2 === 0 ? profile.stacks : [...profile.stacks].reverse()
    for (const stack of order) runs.push({ trial, stack, steps })
  }
  const runMs = steps.reduce(
    (sum, s) => sum + s.load.durationMs + (s.warmup?.durationMs ?? 0) + stepOverheadMs,
    stackOverheadMs,
  )
  return { profile: profile.name, trials: profile.trials, runs, estimatedMs: runs.length * runMs }
}
