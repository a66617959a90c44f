import type { Plan } from '../plan/build-plan.js'
import { describeLoad } from './describe-load.js'
import { describeStack } from './describe-stack.js'
import { formatDuration } from './format-number.js'

/** What `bench run` would do, in order, and about how long it would take. */
export function renderPlan(plan: Plan): string {
  const cells = plan.runs.reduce((sum, run) => sum + run.steps.length, 0)
  const lines = [
    `profile "${plan.profile}": ${plan.runs.length} stack runs, ${cells} measured steps, ${plan.auto ? `${plan.auto.minTrials} to ${plan.auto.maxTrials} trials (auto)` : `${plan.trials} trial(s)`}, about ${formatDuration(plan.estimatedMs)}${plan.auto ? ' at most' : ''}`,
  ]
  for (const run of plan.runs) {
    lines.push(`trial ${run.trial + 1}  ${run.stack.name}: ${describeStack(run.stack)}`)
    for (const step of run.steps) {
      const warmup = step.warmup ? `, warm-up ${formatDuration(step.warmup.durationMs)}` : ''
      lines.push(
        `    ${step.phase}  ${formatDuration(step.load.durationMs)}${warmup}: ${describeLoad(step.load)}${step.load.loop === 'websocket' ? '' : `, ${step.load.requests.length} request(s) per cycle`}`,
      )
    }
  }
  return lines.join('\n')
}
