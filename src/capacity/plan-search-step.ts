import { openLoadSpec, type PlannedStep, type PlanOptions } from '../plan/build-plan.js'
import type { CapacityConfig, PhaseSpec } from '../profile/schema.js'
import type { SearchStep } from './capacity-result-schema.js'

/**
 * One step of the SLO search: the search phase's open-loop load at `rate`, each step after its own warm-up at
 * the same rate (which also lets the backlog of an overloaded step drain before the next is measured). A
 * confirmation runs longer: capacity.confirm, by default twice the phase duration.
 */
export function planSearchStep(
  phase: PhaseSpec,
  capacity: CapacityConfig,
  next: Pick<SearchStep, 'rate' | 'kind'>,
  index: number,
  options: PlanOptions,
): PlannedStep {
  const ramp = { from: next.rate, to: next.rate }
  const durationMs = next.kind === 'confirm' ? (capacity.confirm ?? 2 * phase.duration) : phase.duration
  return {
    phase: phase.name,
    step: index,
    ...(phase.warmup !== undefined
      ? { warmup: openLoadSpec(phase, ramp, phase.warmup, options, 1_000_000 + index) }
      : {}),
    load: openLoadSpec(phase, ramp, durationMs, options, index + 1),
    ...(phase.slowClients ? { slowClients: phase.slowClients } : {}),
    ...(phase.idleConnections ? { idleConnections: phase.idleConnections } : {}),
  }
}
