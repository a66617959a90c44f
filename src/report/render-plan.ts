import type { Plan } from '../plan/build-plan.js'
import { describeLoad } from './describe-load.js'

function seconds(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
    : `${Math.round(ms / 1000)}s`
}

/** What `bench run` would do, in order, and about how long it would take. */
export function renderPlan(plan: Plan): string {
  const cells = plan.runs.reduce((sum, run) => sum + run.steps.length, 0)
  const lines = [
    `profile "${plan.profile}": ${plan.runs.length} stack runs, ${cells} measured steps, ${plan.trials} trial(s), about ${seconds(plan.estimatedMs)}`,
  ]
  for (const run of plan.runs) {
    const stack = run.stack
    const topology = stack.url
      ? `url ${stack.url}`
      : [
          stack.proxy ? `${stack.proxy} →` : '',
          `app ${stack.app}`,
          stack.instances > 1 ? `×${stack.instances} instances` : '',
          stack.workers ? `(${stack.workers} workers)` : '',
        ]
          .filter(Boolean)
          .join(' ')
    lines.push(`trial ${run.trial + 1}  ${stack.name}: ${topology}`)
    for (const step of run.steps) {
      const warmup = step.warmup ? `, warm-up ${seconds(step.warmup.durationMs)}` : ''
      lines.push(
        `    ${step.phase}  ${seconds(step.load.durationMs)}${warmup}: ${describeLoad(step.load)}, ${step.load.requests.length} request(s) per cycle`,
      )
    }
  }
  return lines.join('\n')
}
