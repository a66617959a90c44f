import { BenchError } from '../bench-error.js'
import type { LoadDriver } from '../load/load-driver.js'
import { startTierSampler } from '../monitor/sample-tiers.js'
import type { Plan, PlannedStep, StackRun } from '../plan/build-plan.js'
import type { Profile } from '../profile/schema.js'
import type {
  ResultSet,
  StackRunRecord,
  TierUsage,
  TrialRecord,
  TrialSample,
} from '../results/result-set-schema.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import type { RunningStack } from '../stacks/start-stack.js'
import { startStack } from '../stacks/start-stack.js'
import { summarizeCells } from '../stats/summarize-cells.js'

export type ProgressEvent =
  | { kind: 'stack-started'; run: StackRun; index: number; total: number; startupMs: number }
  | { kind: 'stack-failed'; run: StackRun; index: number; total: number; error: BenchError }
  | { kind: 'step-done'; run: StackRun; step: PlannedStep; record: TrialRecord }

export interface RunPlanOptions {
  plan: Plan
  profile: Profile
  profileDir: string
  driver: LoadDriver
  /** The result set as it starts: written again after every measured step. */
  results: ResultSet
  resultsFile: string
  signal: AbortSignal
  onProgress: (event: ProgressEvent) => void
}

function trialRecord(run: StackRun, step: PlannedStep): Omit<TrialRecord, 'status'> {
  const { load } = step
  return {
    stack: run.stack.name,
    phase: step.phase,
    step: step.step,
    loop: load.loop,
    connections: load.loop === 'closed' ? load.connections : load.maxConnections,
    pipelining: load.loop === 'closed' ? load.pipelining : 1,
    ...(load.loop === 'open' ? { rate: load.rate } : {}),
    trial: run.trial,
  }
}

function failureOf(error: unknown) {
  if (error instanceof BenchError) return { message: error.message, fix: error.fix, logTail: error.logTail }
  throw error
}

/**
 * The one orchestrator: starts each stack run of the plan, loads it step by step, stops it, and rewrites the
 * results file after every step, so that a run stopped at any moment leaves valid JSON with every finished
 * step. A stack that fails to start, or a process that dies mid-step, fails its cells; the run goes on.
 */
export async function runPlan(options: RunPlanOptions): Promise<ResultSet> {
  const { plan, results, signal } = options
  const save = () => {
    results.cells = summarizeCells(results.trials)
    writeJsonAtomically(options.resultsFile, results)
  }
  const record = (
    run: StackRun,
    step: PlannedStep,
    rest: Pick<TrialRecord, 'status'> & Partial<TrialRecord>,
  ) => {
    const entry: TrialRecord = { ...trialRecord(run, step), ...rest }
    results.trials.push(entry)
    save()
    options.onProgress({ kind: 'step-done', run, step, record: entry })
  }
  save()

  for (const [index, run] of plan.runs.entries()) {
    if (signal.aborted) break
    let stack: RunningStack
    const stackRun: StackRunRecord = { stack: run.stack.name, trial: run.trial, processes: [] }
    results.stackRuns.push(stackRun)
    try {
      stack = await startStack(run.stack, options.profile, options.profileDir, {
        signal,
        onSpawn: (p) => {
          stackRun.processes.push({ name: p.name, pid: p.pid })
          save()
        },
      })
      stackRun.startupMs = stack.startupMs
    } catch (error) {
      if (signal.aborted) break
      const failure = failureOf(error)
      stackRun.failure = failure
      options.onProgress({
        kind: 'stack-failed',
        run,
        index,
        total: plan.runs.length,
        error: error as BenchError,
      })
      for (const step of run.steps) record(run, step, { status: 'failed', failure })
      continue
    }
    try {
      options.onProgress({
        kind: 'stack-started',
        run,
        index,
        total: plan.runs.length,
        startupMs: stack.startupMs,
      })
      let downFailure: TrialRecord['failure']
      for (const step of run.steps) {
        if (signal.aborted) break
        if (downFailure) {
          record(run, step, { status: 'failed', failure: downFailure, startupMs: stack.startupMs })
          continue
        }
        if (step.warmup) await options.driver.run(stack.baseUrl, step.warmup, signal)
        const sampler = startTierSampler(stack.tiers)
        let resources: TierUsage[] = []
        let sample: TrialSample
        try {
          sample = await options.driver.run(stack.baseUrl, step.load, signal)
        } finally {
          resources = sampler.stop()
        }
        if (signal.aborted) break // a cut-short step is not a measurement
        const dead = stack.processes.find((p) => !p.isAlive())
        if (dead) {
          const exit = await dead.exited
          downFailure = {
            message: `${dead.name} exited during phase "${step.phase}" (${exit.signal ?? `code ${exit.code}`})`,
            fix: 'see its last output; the errors it caused are counted in this cell',
            logTail: dead.logTail(),
          }
          record(run, step, {
            status: 'failed',
            sample,
            resources,
            failure: downFailure,
            startupMs: stack.startupMs,
          })
          continue
        }
        record(run, step, { status: 'ok', sample, resources, startupMs: stack.startupMs })
      }
    } finally {
      await stack.stop()
    }
  }
  results.status = signal.aborted ? 'interrupted' : 'complete'
  results.finishedAt = new Date().toISOString()
  save()
  return results
}
