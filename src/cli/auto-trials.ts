import type { MeasuredRun } from '../execute/run-plan.js'
import { evaluateGate } from '../gate/evaluate-gate.js'
import { pairStacks } from '../gate/pair-cells.js'
import type { Plan } from '../plan/build-plan.js'
import type { GateConfig } from '../profile/schema.js'
import type { RunRecord } from '../results/run-record-schema.js'
import type { TrialRecord } from '../stats/trial-record-schema.js'

export interface AutoTrialsState {
  /** Why no more trials were added: the gate decided, maxTrials were run, the budget, or a cell failed. */
  stoppedBy: 'decision' | 'max trials' | 'budget' | 'failure'
}

interface AutoTrials {
  /** The runs, handed out one at a time. */
  runs: Iterable<MeasuredRun>
  /** Each record of the run as it comes: the trials the gate looks at are the step records seen. */
  observe(record: RunRecord): void
}

/**
 * trials: auto — the plan's runs (maxTrials of each stack), handed out one at a time, stopping before a new
 * trial once the gate, looking at the trials so far with the alpha this look may spend, is no longer
 * inconclusive; or when the next trial would end past the budget. Looks start at minTrials. The trials are the
 * step records it is fed through `observe` (it reads no results back).
 */
export function autoTrials(
  plan: Plan,
  gate: GateConfig & { baseline: string; candidate: string },
  state: AutoTrialsState,
  now: () => number = Date.now,
): AutoTrials {
  const auto = plan.auto
  if (!auto) throw new Error('autoTrials needs a plan of trials: auto')
  const trials: TrialRecord[] = []
  function* runs(): Generator<MeasuredRun> {
    if (!auto) return
    const started = now()
    let previousTrial = -1
    state.stoppedBy = 'max trials'
    for (const run of plan.runs) {
      if (run.trial !== previousTrial && run.trial >= auto.minTrials) {
        if (trials.some((t) => t.status === 'failed')) {
          state.stoppedBy = 'failure'
          return
        }
        const look = { trials: run.trial, minTrials: auto.minTrials, maxTrials: auto.maxTrials }
        const verdict = evaluateGate(
          pairStacks({ trials }, gate.baseline, gate.candidate),
          gate,
          gate.baseline,
          gate.candidate,
          look,
        )
        if (verdict.verdict !== 'inconclusive') {
          state.stoppedBy = 'decision'
          return
        }
        const elapsed = now() - started
        if (auto.budgetMs !== undefined && elapsed + elapsed / run.trial > auto.budgetMs) {
          state.stoppedBy = 'budget'
          return
        }
      }
      previousTrial = run.trial
      yield run
    }
  }
  return {
    runs: runs(),
    observe(record) {
      if (record.kind !== 'step') return
      const { kind: _, ...trial } = record
      trials.push(trial)
    },
  }
}
