import { BenchError } from '../bench-error.js'
import type { LoadEngine } from '../load/load-engine.js'
import type { LoadProgress } from '../load/load-progress.js'
import { type DatabaseCounters, readDatabaseCounters } from '../monitor/read-database-counters.js'
import { startTierSampler } from '../monitor/sample-tiers.js'
import type { Plan, PlannedStep, StackRun } from '../plan/build-plan.js'
import type { Profile } from '../profile/schema.js'
import type { RunRecord } from '../results/run-record-schema.js'
import { addGeneratorUsage } from '../samples/add-generator-usage.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { machineCpus, pinProcess } from '../stacks/pin-process.js'
import type { RunningStack } from '../stacks/start-stack.js'
import { startStack } from '../stacks/start-stack.js'
import { generatorWarning } from '../stats/generator-warning.js'
import type { TierUsage } from '../stats/tier-usage-schema.js'
import type { Failure, TrialRecord } from '../stats/trial-record-schema.js'
import { processStartTime } from '../watchdog/process-start-time.js'
import type { RecordedProcess } from '../watchdog/stop-recorded-groups.js'
import { catchGeneratorFailure } from './catch-generator-failure.js'
import { type SideLoadsOutcome, startSideLoads } from './start-side-loads.js'
import { verifyStack } from './verify-stack.js'

export type ProgressEvent =
  | { kind: 'stack-started'; run: MeasuredRun; index: number; total: number; startupMs: number }
  | { kind: 'stack-failed'; run: MeasuredRun; index: number; total: number; error: BenchError }
  | { kind: 'step-done'; run: MeasuredRun; step: PlannedStep; record: TrialRecord }
  /** About twice a second while a measured step runs. */
  | { kind: 'step-progress'; run: MeasuredRun; step: PlannedStep; progress: LoadProgress }

/**
 * A stack run as runPlan takes it: its steps may be a lazy list, each chosen after the one before was recorded
 * (the SLO search of bench capacity).
 */
export type MeasuredRun = Omit<StackRun, 'steps'> & { steps: Iterable<PlannedStep> }

export interface RunPlanOptions {
  /**
   * The runs may be a lazy list, each taken after the runs before it were recorded (trials: auto adds pairs of
   * trials until the gate decides); `total` is then the most it can hold, for the progress lines.
   */
  plan: Pick<Plan, 'restart'> & ({ runs: MeasuredRun[] } | { runs: Iterable<MeasuredRun>; total: number })
  profile: Profile
  profileDir: string
  engine: LoadEngine
  /**
   * Where each record goes as it happens (the records file, trials: auto, the capacity search): one per stack
   * event and one per trial of each step. runPlan keeps no results of its own.
   */
  record: (record: RunRecord) => void
  signal: AbortSignal
  onProgress: (event: ProgressEvent) => void
  /** Told of every process as soon as it is spawned, with its start time (bench's watchdog). */
  onSpawn?: (process: RecordedProcess) => void
  /** Starts a stack: startStack, unless a test of the orchestration passes a fake. */
  launch?: typeof startStack
}

function trialRecord(run: MeasuredRun, step: PlannedStep): Omit<TrialRecord, 'status'> {
  const { load } = step
  return {
    stack: run.stack.name,
    phase: step.phase,
    step: step.step,
    loop: load.loop,
    connections: load.loop === 'open' ? load.maxConnections : load.connections,
    pipelining: load.loop === 'closed' ? load.pipelining : 1,
    ...(load.loop === 'open' ? { rate: load.rate } : {}),
    trial: run.trial,
  }
}

function failureOf(error: unknown) {
  if (error instanceof BenchError) return { message: error.message, fix: error.fix, logTail: error.logTail }
  throw error
}

/** Why a stack is no longer fit to measure: one of its processes has exited. */
async function deadProcessFailure(stack: RunningStack, phase: string): Promise<Failure | undefined> {
  const dead = stack.processes.find((p) => !p.isAlive())
  if (!dead) return undefined
  const exit = await dead.exited
  return {
    message: `${dead.name} exited during phase "${phase}" (${exit.signal ?? `code ${exit.code}`})`,
    fix: 'see its last output; the errors it caused are counted in this cell',
    logTail: dead.logTail(),
  }
}

/**
 * The one orchestrator: starts each stack run of the plan (or reuses the stack when the profile says
 * `restart: run`), verifies the requests that say `verify:` once after each start, loads it step by step, stops
 * it, and records each stack event and each step as it happens (options.record), so that a run stopped at any
 * moment, even by SIGKILL, leaves every finished step in its records. A stack that fails to start or its
 * verification, or a process that dies mid-step, fails its cells; the run goes on. The run's status is its
 * command's to record, once, at the end.
 */
export async function runPlan(options: RunPlanOptions): Promise<void> {
  const { plan, signal, engine } = options
  const total = 'total' in plan ? plan.total : plan.runs.length
  const warned = new Set<string>()
  const record = (
    run: MeasuredRun,
    step: PlannedStep,
    rest: Pick<TrialRecord, 'status'> & Partial<TrialRecord>,
  ) => {
    const entry: TrialRecord = { ...trialRecord(run, step), ...rest }
    options.record({ kind: 'step', ...entry })
    // a busy generator: said once per stack and phase, as a warning of the run (each cell's verdict says it too)
    const warning = generatorWarning(entry)
    if (warning && !warned.has(`${entry.stack}\u0000${entry.phase}`)) {
      warned.add(`${entry.stack}\u0000${entry.phase}`)
      options.record({ kind: 'warning', ...warning })
    }
    options.onProgress({ kind: 'step-done', run, step, record: entry })
  }
  /**
   * A failed generator's cell, recorded; when the failure ends the run (an agent was lost), the run stops here
   * with a stack error (exit 4): every cell before it is in the records, nothing is retried.
   */
  const recordGeneratorFailure = (
    run: MeasuredRun,
    step: PlannedStep,
    failed: { failure: Failure; endsRun?: true },
    rest: Partial<TrialRecord>,
  ) => {
    record(run, step, { status: 'failed', failure: failed.failure, ...rest })
    if (failed.endsRun) throw new BenchError('stack', failed.failure.message, failed.failure.fix)
  }
  /** The trial each running stack was started for (with `restart: run`, later trials reuse it). */
  const startedFor = new Map<RunningStack, number>()
  const stopStack = async (name: string, trial: number, stack: RunningStack) => {
    await stack.stop()
    options.record({ kind: 'stack-stopped', stack: name, trial: startedFor.get(stack) ?? trial })
  }

  const verified = options.profile.phases.flatMap((phase) => phase.requests).filter((r) => r.verify)
  const start = async (run: MeasuredRun, index: number): Promise<RunningStack | undefined> => {
    const id = { stack: run.stack.name, trial: run.trial }
    options.record({ kind: 'stack-started', ...id })
    try {
      const onSpawn = (p: { name: string; pid: number }) => {
        const spawned = { name: p.name, pid: p.pid, startTime: processStartTime(p.pid) }
        options.onSpawn?.(spawned)
        options.record({
          kind: 'process-spawned',
          ...id,
          name: spawned.name,
          pid: spawned.pid,
          ...(spawned.startTime !== undefined ? { startTime: spawned.startTime } : {}),
        })
      }
      const launch = options.launch ?? startStack
      const stack = await launch(run.stack, options.profile, options.profileDir, { signal, onSpawn })
      try {
        await verifyStack(stack, verified) // a stack that answers the wrong body is never measured
      } catch (error) {
        await stopStack(run.stack.name, run.trial, stack)
        throw error
      }
      options.record({ kind: 'stack-ready', ...id, startupMs: stack.startupMs })
      startedFor.set(stack, run.trial)
      options.onProgress({
        kind: 'stack-started',
        run,
        index,
        total,
        startupMs: stack.startupMs,
      })
      return stack
    } catch (error) {
      if (signal.aborted) return undefined
      const failure = failureOf(error)
      options.record({ kind: 'stack-failed', ...id, failure })
      options.onProgress({
        kind: 'stack-failed',
        run,
        index,
        total,
        error: error as BenchError,
      })
      for (const step of run.steps) record(run, step, { status: 'failed', failure })
      return undefined
    }
  }

  /** Every step of one stack run; false if a process died, so the stack must not be reused. */
  const measure = async (run: MeasuredRun, stack: RunningStack): Promise<boolean> => {
    let down: Failure | undefined
    for (const step of run.steps) {
      if (signal.aborted) break
      const startupMs = stack.startupMs
      if (down) {
        record(run, step, { status: 'failed', failure: down, startupMs })
        continue
      }
      if (step.warmup) {
        const warm = await catchGeneratorFailure(engine.run(stack, step.warmup, signal))
        if ('failure' in warm) {
          recordGeneratorFailure(run, step, warm, { startupMs })
          continue
        }
      }
      if (signal.aborted) break
      // slow clients and an idle crowd, each on a generator of its own; the crowd in place before the load
      const started = await catchGeneratorFailure(startSideLoads(engine, stack, step))
      if ('failure' in started) {
        recordGeneratorFailure(run, step, started, { startupMs })
        continue
      }
      const sides = started.value
      // the database's counters: one query just before the load and one just after, outside its measured time
      const statistics = stack.database?.statistics
      const before = statistics ? await readDatabaseCounters(statistics) : undefined
      if (signal.aborted) {
        // interrupted during that read: the engine must not start a step it would only learn of at its end
        await sides.stop().catch(() => undefined) // ending: how they went is not recorded
        break
      }
      const sampler = startTierSampler(stack.tiers)
      let resources: TierUsage[] = []
      let measured: { value: TrialSample } | { failure: Failure }
      let sidesEnded: Awaited<ReturnType<typeof catchGeneratorFailure<SideLoadsOutcome>>>
      let after: DatabaseCounters | undefined
      const sideLoad: Partial<TrialRecord> = {}
      try {
        measured = await catchGeneratorFailure(
          engine.run(stack, step.load, signal, (progress) =>
            options.onProgress({ kind: 'step-progress', run, step, progress }),
          ),
        )
      } finally {
        resources = sampler.stop()
        sidesEnded = await catchGeneratorFailure(sides.stop())
      }
      if ('value' in sidesEnded) {
        if (sidesEnded.value.slowClients) sideLoad.slowClients = sidesEnded.value.slowClients
        if (sidesEnded.value.idle) sideLoad.idle = sidesEnded.value.idle
      }
      if (statistics && before) after = await readDatabaseCounters(statistics)
      if (before && after) {
        sideLoad.database = {
          statements: after.statements - before.statements,
          transactions: after.transactions - before.transactions,
        }
      }
      if (signal.aborted) break // a cut-short step is not a measurement
      const failed = 'failure' in measured ? measured : 'failure' in sidesEnded ? sidesEnded : undefined
      if (failed || !('value' in measured) || !('value' in sidesEnded)) {
        // a generator failed: this cell fails with its message, the stack is still fit for the next
        if (failed) recordGeneratorFailure(run, step, failed, { resources, ...sideLoad, startupMs })
        else record(run, step, { status: 'failed', resources, ...sideLoad, startupMs })
        continue
      }
      const sample = addGeneratorUsage(measured.value, sidesEnded.value.usages)
      down = await deadProcessFailure(stack, step.phase)
      record(run, step, {
        status: down ? 'failed' : 'ok',
        sample,
        resources,
        ...sideLoad,
        startupMs,
        ...(down ? { failure: down } : {}),
      })
    }
    return down === undefined
  }

  /** Every stack run in order; with `restart: run` a healthy stack is kept in `kept` for its next trial. */
  const runAll = async (kept: Map<string, RunningStack>) => {
    let index = -1
    for (const run of plan.runs) {
      index++
      if (signal.aborted) break
      const stack = kept.get(run.stack.name) ?? (await start(run, index))
      if (!stack) continue
      kept.delete(run.stack.name)
      let healthy = false
      try {
        healthy = await measure(run, stack)
      } finally {
        if (plan.restart === 'run' && healthy && !signal.aborted) kept.set(run.stack.name, stack)
        else await stopStack(run.stack.name, run.trial, stack)
      }
    }
  }

  const kept = new Map<string, RunningStack>()
  const generatorCpus = options.profile.cpus?.generator
  if (generatorCpus) pinProcess(process.pid, generatorCpus) // bench is the generator: its threads, these CPUs
  try {
    await runAll(kept)
  } finally {
    for (const [name, stack] of kept) await stopStack(name, 0, stack)
    if (generatorCpus) pinProcess(process.pid, machineCpus())
  }
}
