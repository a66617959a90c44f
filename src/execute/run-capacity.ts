import { analyzeScaling } from '../capacity/analyze-scaling.js'
import type { CapacitySearch, SearchStep } from '../capacity/capacity-result-schema.js'
import { findKnee } from '../capacity/find-knee.js'
import { judgeSearchStep } from '../capacity/judge-search-step.js'
import { nextSearchStep, type SearchSettings } from '../capacity/next-search-step.js'
import { planSearchStep } from '../capacity/plan-search-step.js'
import { searchSettings } from '../capacity/search-settings.js'
import { sloRecord } from '../capacity/slo-record.js'
import type { PlannedStep, PlanOptions } from '../plan/build-plan.js'
import { buildPlan, stackProcesses } from '../plan/build-plan.js'
import { planScaling } from '../plan/plan-scaling.js'
import type { PhaseSpec, Slo, StackSpec } from '../profile/schema.js'
import type { RunRecord } from '../results/run-record-schema.js'
import type { RunRecorder } from '../results/run-recorder.js'
import { summarizeCells } from '../stats/summarize-cells.js'
import type { TrialRecord } from '../stats/trial-record-schema.js'
import { type RunPlanOptions, runPlan } from './run-plan.js'

export interface RunCapacityOptions extends Omit<RunPlanOptions, 'plan' | 'record'> {
  /** Where the records go; the search and the sweep listen to them (they read no results back). */
  recorder: Pick<RunRecorder, 'record' | 'listen'>
  planOptions: PlanOptions
  /** Sizing: req/s to serve (overrides capacity.target) and the share of capacity to plan on (headroom). */
  target?: number | undefined
  headroom: number
  onSearchStep: (stack: string, step: SearchStep) => void
}

/** Runs `work`, handing `observe` each trial record `keep` accepts as it is recorded. */
async function observingTrials(
  o: RunCapacityOptions,
  keep: (trial: TrialRecord) => boolean,
  work: () => Promise<void>,
  observe: (trial: TrialRecord) => void,
): Promise<void> {
  const stop = o.recorder.listen((record: RunRecord) => {
    if (record.kind !== 'step') return
    const { kind: _, ...trial } = record
    if (keep(trial)) observe(trial)
  })
  try {
    await work()
  } finally {
    stop()
  }
}

/**
 * The SLO search of one stack as a lazy list of steps for runPlan: each step is chosen from the judged results
 * of the steps before it — the step records it sees as they come, folded into cells — and each judged step and
 * the search's conclusion are recorded (a run stopped mid-search leaves the search so far, "interrupted").
 */
function* searchSteps(
  stack: StackSpec,
  phase: PhaseSpec,
  slo: Slo,
  settings: SearchSettings,
  trials: readonly TrialRecord[],
  o: RunCapacityOptions,
): Generator<PlannedStep> {
  const { capacity } = o.profile
  const steps: SearchStep[] = []
  const done = (conclusion: Omit<CapacitySearch, 'stack' | 'topology' | 'steps'>) =>
    o.recorder.record({ kind: 'search-done', stack: stack.name, ...conclusion })
  for (let index = 0; ; index++) {
    const decision = nextSearchStep(steps, settings)
    if ('done' in decision) {
      const { note, ...found } = decision.done
      const last = steps[steps.length - 1]
      const knee = findKnee(
        steps.flatMap((s) =>
          s.latency.p99 === null
            ? []
            : [{ rate: s.rate, latency: s.latency.p99, pass: s.outcome === 'pass' }],
        ),
      )
      const target = o.target ?? capacity.target
      done({
        ...found,
        ...(note ? { note } : {}),
        ...(found.maxRate !== null && last?.kind === 'confirm' ? { atMax: last } : {}),
        ...(knee ? { knee: { rate: knee.rate, p99: knee.latency } } : {}),
        ...(target !== undefined && found.maxRate
          ? { machines: Math.ceil(target / (found.maxRate * o.headroom)) }
          : {}),
      })
      return
    }
    yield planSearchStep(phase, capacity, decision.next, index, {
      ...o.planOptions,
      stackProcesses: stackProcesses(stack),
    })
    const [cell] = summarizeCells(trials.filter((t) => t.step === index))
    if (!cell) return // stopped before the step was recorded: the search stays "interrupted"
    if (cell.status === 'failed') {
      done({
        status: 'failed',
        maxRate: null,
        failRate: null,
        note: cell.failures[0]?.message ?? 'the stack failed',
      })
      return
    }
    const stats = cell.stats
    const step: SearchStep = {
      ...decision.next,
      ...judgeSearchStep(cell, slo),
      achieved: stats?.reqPerSec ?? 0,
      latency: stats?.open?.corrected ?? (stats?.latency as NonNullable<typeof stats>['latency']),
      errorPercent: stats?.errorPercent ?? 0,
      resources: stats?.resources ?? [],
      ...(stats?.generator ? { generator: stats.generator } : {}),
    }
    steps.push(step)
    o.recorder.record({ kind: 'search-step', stack: stack.name, step })
    o.onSearchStep(stack.name, step)
  }
}

/** The SLO search on every stack of the profile, one stack at a time, each started once for its whole search. */
async function searchAll(
  o: RunCapacityOptions,
  slo: Slo,
  { phase, settings }: ReturnType<typeof searchSettings>,
): Promise<void> {
  // each search is fed its own stack's step records as they come
  const seen = new Map(o.profile.stacks.map((stack) => [stack.name, [] as TrialRecord[]]))
  const runs = o.profile.stacks.map((stack) => ({
    trial: 0,
    stack,
    steps: searchSteps(stack, phase, slo, settings, seen.get(stack.name) ?? [], o),
  }))
  await observingTrials(
    o,
    (t) => t.phase === phase.name,
    async () => {
      await runPlan({
        ...o,
        record: o.recorder.record,
        plan: { restart: 'trial', runs },
        onProgress: (event) => event.kind !== 'step-done' && o.onProgress(event),
      })
    },
    (t) => seen.get(t.stack)?.push(t),
  )
}

/** The scaling sweep: every variant through runPlan like `bench run`, then the USL per swept stack. */
async function sweep(o: RunCapacityOptions): Promise<void> {
  const scaling = planScaling(o.profile)
  if (!scaling) return
  const plan = buildPlan(scaling.profile, o.planOptions)
  const trials: TrialRecord[] = []
  await observingTrials(
    o,
    () => true,
    () => runPlan({ ...o, record: o.recorder.record, plan }),
    (t) => trials.push(t),
  )
  if (o.signal.aborted) return
  const cells = summarizeCells(trials)
  const stacks = [...new Set(scaling.variants.map((v) => v.stack))]
  for (const stack of stacks) {
    const points = scaling.variants
      .filter((v) => v.stack === stack)
      .map((v) => {
        // the variant's throughput: its best step (the closed-loop phases may hold a ladder of connections)
        const measured = cells.filter((c) => c.stack === v.name && c.stats && c.status === 'ok')
        const best = measured.reduce<(typeof measured)[number] | undefined>(
          (top, c) => (top?.stats && c.stats && top.stats.reqPerSec >= c.stats.reqPerSec ? top : c),
          undefined,
        )
        return {
          n: v.n,
          reqPerSec: best?.stats?.reqPerSec ?? null,
          reqPerSecCv: best?.stats?.reqPerSecCv ?? 0,
        }
      })
    o.recorder.record({
      kind: 'scaling',
      scaling: {
        stack,
        parameter: scaling.parameter,
        ...analyzeScaling({ points, target: o.target ?? o.profile.capacity.target, headroom: o.headroom }),
      },
    })
  }
}

/**
 * bench capacity: the SLO search on every stack (when the profile has slo:), then the scaling sweep (when it
 * has scaling:), all recorded — the steps as ordinary step records (cells in the fold), the conclusions as
 * capacity records (results.capacity in the fold). The run's status is the command's to record, at the end.
 */
export async function runCapacity(o: RunCapacityOptions): Promise<void> {
  const { profile } = o
  const target = o.target ?? profile.capacity.target
  const search = profile.slo ? searchSettings(profile) : undefined
  o.recorder.record({
    kind: 'capacity-started',
    ...(profile.slo ? { slo: sloRecord(profile.slo) } : {}),
    ...(target !== undefined ? { target } : {}),
    headroom: o.headroom,
    precision: profile.capacity.precision,
    ...(search ? { startRate: search.settings.startRate, maxRate: search.settings.maxRate } : {}),
    searches: search
      ? profile.stacks.map((stack) => ({
          stack: stack.name,
          topology: {
            app: stack.app ?? null,
            proxy: stack.proxy ?? null,
            workers: stack.workers ?? null,
            instances: stack.instances,
          },
        }))
      : [],
  })
  if (profile.slo && search) await searchAll(o, profile.slo, search)
  if (!o.signal.aborted) await sweep(o)
}
