import { BenchError } from '../bench-error.js'
import { stepLabel } from '../plan/step-label.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { cellKey } from '../stats/cell-key.js'
import type { TierUsage } from '../stats/tier-usage-schema.js'
import type { TrialRecord } from '../stats/trial-record-schema.js'

/** What the pairing reads: the trials as recorded (a results file, or the records of a run so far). */
type Trials = { readonly trials: readonly TrialRecord[] }

/** The trials of one cell in the baseline and in the candidate, to be compared. */
export interface GatePair {
  /** What the verdict table calls the cell: "hello c=50", with the stack when comparing stored results. */
  cell: string
  phase: string
  step: number
  label: string
  baseline: TrialSample[]
  candidate: TrialSample[]
  /** Each trial's tiers' CPU and memory, in the trials' order (none for a stack bench did not launch). */
  baselineResources?: TierUsage[][]
  candidateResources?: TierUsage[][]
  /**
   * Trial i of the baseline ran next to trial i of the candidate (A/B in one run, interleaved), so drift of
   * the machine between trials moves both alike and cancels in their ratio.
   */
  paired: boolean
}

function samplesBy(
  trials: readonly TrialRecord[],
  key: (t: TrialRecord) => string,
): Map<string, TrialRecord[]> {
  const groups = new Map<string, TrialRecord[]>()
  for (const t of trials) {
    if (t.status !== 'ok' || !t.sample) continue
    groups.set(key(t), [...(groups.get(key(t)) ?? []), t])
  }
  return groups
}

/** A/B in one run: the two stacks' cells are matched by phase and step, so the stack is left out of the key. */
const stepKey = (t: { phase: string; step: number }) =>
  cellKey({ stack: 'A/B', phase: t.phase, step: t.step })

function pair(
  baseline: TrialRecord[],
  candidate: TrialRecord[],
  withStack: boolean,
  paired: boolean,
): GatePair {
  const first = (baseline[0] ?? candidate[0]) as TrialRecord
  const byTrial = (a: TrialRecord, b: TrialRecord) => a.trial - b.trial
  baseline.sort(byTrial)
  candidate.sort(byTrial)
  return {
    paired:
      paired &&
      baseline.length === candidate.length &&
      baseline.every((t, i) => t.trial === candidate[i]?.trial),
    cell: `${withStack ? `${first.stack} ` : ''}${first.phase} ${stepLabel(first)}`,
    phase: first.phase,
    step: first.step,
    label: stepLabel(first),
    baseline: baseline.map((t) => t.sample as TrialSample),
    candidate: candidate.map((t) => t.sample as TrialSample),
    baselineResources: baseline.map((t) => t.resources ?? []),
    candidateResources: candidate.map((t) => t.resources ?? []),
  }
}

/** A/B in one run: the baseline stack's cells against the candidate stack's, matched by phase and step. */
export function pairStacks(results: Trials, baseline: string, candidate: string): GatePair[] {
  const base = samplesBy(
    results.trials.filter((t) => t.stack === baseline),
    stepKey,
  )
  const cand = samplesBy(
    results.trials.filter((t) => t.stack === candidate),
    stepKey,
  )
  const keys = [...new Set([...base.keys(), ...cand.keys()])]
  const missing = keys.filter((k) => !base.has(k) || !cand.has(k))
  if (missing.length > 0) {
    throw new BenchError(
      'stack',
      `no measured trials to compare for ${missing.join(', ')} (a stack failed?)`,
      'see the failures above; the gate needs every cell of both stacks measured',
    )
  }
  return keys.map((k) => pair(base.get(k) ?? [], cand.get(k) ?? [], false, true))
}

/** Against a stored result: cells matched by stack, phase and step; every cell must be in both files. */
export function pairResultSets(current: Trials, baseline: Trials): GatePair[] {
  const cur = samplesBy(current.trials, cellKey)
  const base = samplesBy(baseline.trials, cellKey)
  const onlyCurrent = [...cur.keys()].filter((k) => !base.has(k))
  const onlyBaseline = [...base.keys()].filter((k) => !cur.has(k))
  if (onlyCurrent.length > 0 || onlyBaseline.length > 0) {
    const parts = [
      onlyCurrent.length ? `only in the current result: ${onlyCurrent.join('; ')}` : '',
      onlyBaseline.length ? `only in the baseline: ${onlyBaseline.join('; ')}` : '',
    ].filter(Boolean)
    throw new BenchError(
      'input',
      `the two results do not hold the same cells — ${parts.join('. ')}`,
      'compare results of the same profile (same stacks, phases and ladders)',
    )
  }
  return [...cur.keys()].map((k) => pair(base.get(k) ?? [], cur.get(k) ?? [], true, false))
}
