import type { Warning } from './cell-stats-schema.js'
import { validityLimits } from './judge-cell.js'
import type { TrialRecord } from './trial-record-schema.js'

/**
 * A run-level warning when a trial's load generator was busy (event loop at or past the limit): that trial
 * measured bench more than the stack. Undefined when it was not.
 */
export function generatorWarning(trial: TrialRecord): Warning | undefined {
  const generator = trial.sample?.generator
  if (!generator || generator.eventLoopUtilization < validityLimits.generatorBusy) return undefined
  return {
    stack: trial.stack,
    phase: trial.phase,
    message: `the load generator was busy (${Math.round(generator.eventLoopUtilization * 100)} % of the time over ${generator.threads} thread${generator.threads === 1 ? '' : 's'}) in phase "${trial.phase}", trial ${trial.trial + 1}: its numbers are client-bound`,
    fix: 'use more generator threads (generators: N), fewer connections or a lower rate — or a machine with more cores',
  }
}
