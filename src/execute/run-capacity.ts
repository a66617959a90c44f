import { analyzeScaling } from '../capacity/analyze-scaling.js'
import { findKnee } from '../capacity/find-knee.js'
import { judgeSearchStep } from '../capacity/judge-search-step.js'
import { nextSearchStep, type SearchSettings } from '../capacity/next-search-step.js'
import { searchSettings } from '../capacity/search-settings.js'
import type { PlannedStep, PlanOptions } from '../plan/build-plan.js'
import { buildPlan, stackProcesses } from '../plan/build-plan.js'
import { planScaling } from '../plan/plan-scaling.js'
import { planSearchStep } from '../plan/plan-search-step.js'
import type { PhaseSpec, Slo, StackSpec } from '../profile/schema.js'
import type { CapacitySearch, ResultSet, SearchStep } from '../results/result-set-schema.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import { type RunPlanOptions, runPlan } from './run-plan.js'

export interface RunCapacityOptions extends Omit<RunPlanOptions, 'plan'> {
  planOptions: PlanOptions
  /** Sizing: req/s to serve (overrides capacity.target) and the share of capacity to plan on (headroom). */
  target?: number | undefined
  headroom: number
  onSearchStep: (stack: string, step: SearchStep) => void
}

/**
 * The SLO search of one stack as a lazy list of steps for runPlan: each step is chosen from the judged results
 * of the steps before it, and the search record is filled in as it goes (so a results file written mid-run
 * shows the search so far, with status "interrupted" until it ends).
 */
function* searchSteps(
  stack: StackSpec,
  phase: PhaseSpec,
  slo: Slo,
  search: CapacitySearch,
  settings: SearchSettings,
  o: RunCapacityOptions,
): Generator<PlannedStep> {
  const { capacity } = o.profile
  for (let index = 0; ; index++) {
    const decision = nextSearchStep(search.steps, settings)
    if ('done' in decision) {
      const { note, ...done } = decision.done
      Object.assign(search, done, note ? { note } : {})
      const last = search.steps[search.steps.length - 1]
      if (done.maxRate !== null && last?.kind === 'confirm') search.atMax = last
      const knee = findKnee(search.steps.map((s) => ({ rate: s.rate, latency: s.latency.p99 })))
      if (knee) search.knee = { rate: knee.rate, p99: knee.latency }
      const target = o.target ?? capacity.target
      if (target !== undefined && done.maxRate)
        search.machines = Math.ceil(target / (done.maxRate * o.headroom))
      return
    }
    yield planSearchStep(phase, capacity, decision.next, index, {
      ...o.planOptions,
      stackProcesses: stackProcesses(stack),
    })
    const cell = o.results.cells.find(
      (c) => c.stack === stack.name && c.phase === phase.name && c.step === index,
    )
    if (!cell) return // stopped before the step was recorded: the search stays "interrupted"
    if (cell.status === 'failed') {
      search.status = 'failed'
      search.note = cell.failures[0]?.message ?? 'the stack failed'
      return
    }
    const stats = cell.stats
    const step: SearchStep = {
      ...decision.next,
      ...judgeSearchStep(cell, slo),
      achieved: stats?.reqPerSec ?? 0,
      latency: stats?.open?.corrected ?? (stats?.latency as NonNullable<typeof stats>['latency']),
      errorRate: stats?.errorRate ?? 0,
      resources: stats?.resources ?? [],
      ...(stats?.generator ? { generator: stats.generator } : {}),
    }
    search.steps.push(step)
    o.onSearchStep(stack.name, step)
  }
}

/** The SLO search on every stack of the profile, one stack at a time, each started once for its whole search. */
async function searchAll(
  o: RunCapacityOptions,
  slo: Slo,
  { phase, settings }: ReturnType<typeof searchSettings>,
): Promise<void> {
  const { profile, results } = o
  const runs = profile.stacks.map((stack) => {
    const search: CapacitySearch = {
      stack: stack.name,
      topology: {
        app: stack.app ?? null,
        proxy: stack.proxy ?? null,
        workers: stack.workers ?? null,
        instances: stack.instances,
      },
      status: 'interrupted',
      maxRate: null,
      failRate: null,
      steps: [],
    }
    results.capacity?.searches.push(search)
    return { trial: 0, stack, steps: searchSteps(stack, phase, slo, search, settings, o) }
  })
  await runPlan({
    ...o,
    plan: { restart: 'trial', runs },
    onProgress: (event) => event.kind !== 'step-done' && o.onProgress(event),
  })
}

/** The scaling sweep: every variant through runPlan like `bench run`, then the USL per swept stack. */
async function sweep(o: RunCapacityOptions): Promise<void> {
  const scaling = planScaling(o.profile)
  if (!scaling) return
  const plan = buildPlan(scaling.profile, o.planOptions)
  o.results.status = 'running'
  await runPlan({ ...o, plan })
  if (o.signal.aborted) return
  const stacks = [...new Set(scaling.variants.map((v) => v.stack))]
  for (const stack of stacks) {
    const points = scaling.variants
      .filter((v) => v.stack === stack)
      .map((v) => {
        // the variant's throughput: its best step (the closed-loop phases may hold a ladder of connections)
        const cells = o.results.cells.filter((c) => c.stack === v.name && c.stats && c.status === 'ok')
        const best = cells.reduce<(typeof cells)[number] | undefined>(
          (top, c) => (top?.stats && c.stats && top.stats.reqPerSec >= c.stats.reqPerSec ? top : c),
          undefined,
        )
        return {
          n: v.n,
          reqPerSec: best?.stats?.reqPerSec ?? null,
          reqPerSecCv: best?.stats?.reqPerSecCv ?? 0,
        }
      })
    o.results.capacity?.scaling.push({
      stack,
      parameter: scaling.parameter,
      ...analyzeScaling({ points, target: o.target ?? o.profile.capacity.target, headroom: o.headroom }),
    })
  }
  writeJsonAtomically(o.resultsFile, o.results)
}

/**
 * bench capacity: the SLO search on every stack (when the profile has slo:), then the scaling sweep (when it
 * has scaling:), all recorded in `results` — the steps as ordinary trials and cells, the conclusions in
 * results.capacity.
 */
export async function runCapacity(o: RunCapacityOptions): Promise<ResultSet> {
  const { profile, results } = o
  const target = o.target ?? profile.capacity.target
  const search = profile.slo ? searchSettings(profile) : undefined
  results.capacity = {
    ...(profile.slo ? { slo: profile.slo } : {}),
    ...(target !== undefined ? { target } : {}),
    headroom: o.headroom,
    precision: profile.capacity.precision,
    ...(search ? { startRate: search.settings.startRate, maxRate: search.settings.maxRate } : {}),
    searches: [],
    scaling: [],
  }
  if (profile.slo && search) await searchAll(o, profile.slo, search)
  if (!o.signal.aborted && results.status !== 'failed') await sweep(o)
  return results
}
