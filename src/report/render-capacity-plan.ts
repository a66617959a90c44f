import type { CapacityPlan } from '../capacity/plan-capacity.js'
import { sloRecord } from '../capacity/slo-record.js'
import { describeLoad } from './describe-load.js'
import { describeSlo } from './describe-slo.js'
import { describeStack } from './describe-stack.js'
import { formatDuration, formatInteger } from './format-number.js'
import { renderPlan } from './render-plan.js'

const rate = (value: number) => `${formatInteger(value)} req/s`

/** What `bench capacity` would do, and about how long it would take: the search's rules and costs, the sweep. */
export function renderCapacityPlan(plan: CapacityPlan): string {
  const { search, sweep } = plan
  const { low, high } = plan.estimatedMs
  const about = low === high ? formatDuration(low) : `${formatDuration(low)}–${formatDuration(high)}`
  const lines = [
    `bench capacity "${plan.profile}": about ${about} on a quiet machine, at most ${formatDuration(plan.worstMs)}`,
  ]
  if (search) {
    const { first } = search
    const warmup = first.warmup ? `${formatDuration(first.warmup.durationMs)} warm-up + ` : ''
    lines.push(
      `SLO search (${describeSlo(sloRecord(search.slo))}) on ${search.stacks.length} stack(s), one after another, each started once:`,
      ...search.stacks.map((stack) => `  ${stack.name}: ${describeStack(stack)}`),
      `  each step: ${describeLoad(first.load).replace(/, [\d,.]+ req\/s/, '')}, ${warmup}${formatDuration(first.load.durationMs)} (a confirmation ${formatDuration(search.confirmMs)})`,
      `  from ${rate(search.startRate)}: double until a step fails (halve while the first ones fail), bisect to within ${search.precision} %, confirm; doubling stops at ${rate(search.maxRate)}`,
      '  the steps are chosen as the results come in; one stack, on a quiet machine, if it holds the SLO up to',
      ...search.examples.map(
        (e) =>
          `    ${rate(e.limit).padStart(13)}: ${String(e.steps).padStart(2)} steps, about ${formatDuration(e.ms)}${e.status === 'at-limit' ? ` (reported as ≥ ${rate(search.maxRate)})` : ''}`,
      ),
      `  a suspect step (the generator, not the stack, the limit) runs again, up to twice; at most ${search.maxSteps} steps, ${formatDuration(search.worstMsPerStack)} per stack`,
    )
  }
  if (sweep) {
    const { scaling } = sweep
    const counts = [...new Set(scaling.variants.map((v) => v.n))].join(', ')
    const stacks = [...new Set(scaling.variants.map((v) => v.stack))].join(', ')
    lines.push(
      `scaling sweep: ${stacks} at ${scaling.parameter} ${counts}, each count a stack of its own, then a USL fit per stack:`,
      ...renderPlan(sweep.plan)
        .split('\n')
        .map((line) => `  ${line}`),
    )
  }
  return lines.join('\n')
}
