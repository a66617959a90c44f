import { databaseKinds } from '../kinds/database-kinds.js'
import type { LoadCommon, LoadSpec, OpenLoadSpec } from '../load/contract/load-spec.js'
import type { PhaseSpec, Profile, RateRamp, SlowClientsSpec, StackSpec } from '../profile/schema.js'
import { websocketSchema } from '../profile/schema.js'
import { endpointLabels, expandRequestMix } from './expand-request-mix.js'

/** One measured cell of the result table, run once per trial. */
export interface PlannedStep {
  phase: string
  /** Index in the phase's ladder. */
  step: number
  /** Run just before this step, not measured. */
  warmup?: LoadSpec
  load: LoadSpec
  /** Alongside the measured load: slow clients, and an idle keep-alive crowd. */
  slowClients?: SlowClientsSpec
  idleConnections?: number
}

/** A stack started once, loaded with every step of every phase, then stopped. */
export interface StackRun {
  trial: number
  stack: StackSpec
  steps: PlannedStep[]
}

export interface Plan {
  profile: string
  /** Trials planned; with trials: auto, the most (maxTrials): the run may stop at any pair from minTrials on. */
  trials: number
  auto?: { minTrials: number; maxTrials: number; budgetMs?: number }
  /** Restart each stack for every trial, or keep it running across its trials. */
  restart: 'trial' | 'run'
  runs: StackRun[]
  estimatedMs: number
}

export interface PlanOptions {
  /** CPU cores of this machine, for the default number of generator threads. */
  cpuCount: number
  /** The CPUs bench is pinned to (profile cpus.generator): one generator thread each, by default. */
  generatorCpus?: readonly number[]
  /** The busy processes of the stack being planned (stackProcesses), so the generator leaves them cores. */
  stackProcesses?: number
}

/** Rough allowance per stack start/verify/stop and per step, for the duration estimate. */
export const stackOverheadMs = 1500
const stepOverheadMs = 200
const defaultMaxConnections = 256

/**
 * One generator thread per four cores, at least one, and never more than the cores the stack's processes
 * leave (a stack of 14 workers on 16 cores leaves 2): the stack under test needs the rest.
 */
export function defaultGenerators(cpuCount: number, stackProcesses = 0): number {
  return Math.max(1, Math.min(Math.floor(cpuCount / 4), cpuCount - stackProcesses))
}

/** How many busy processes a stack runs: its app's workers in every instance, its proxy, and a database server. */
export function stackProcesses(stack: StackSpec): number {
  if (stack.url !== undefined) return 0
  const database = typeof stack.database === 'string' && databaseKinds[stack.database].tier ? 1 : 0
  return stack.instances * (stack.workers ?? 1) + (stack.proxy ? 1 : 0) + database
}

function loadCommon(phase: PhaseSpec, options: PlanOptions, durationMs: number): LoadCommon {
  const pinned = options.generatorCpus?.length
  return {
    engine: phase.engine,
    protocol: phase.protocol === 'websocket' ? 'http1' : phase.protocol,
    streams: phase.streams,
    durationMs,
    timeoutMs: phase.timeout,
    requests: expandRequestMix(phase.requests),
    ...(phase.requests.length > 1 ? { endpoints: endpointLabels(phase.requests) } : {}),
    generators: phase.generators ?? pinned ?? defaultGenerators(options.cpuCount, options.stackProcesses),
  }
}

/** The open-loop load of a phase at one rate (or ramp): also what each step of the SLO search sends. */
export function openLoadSpec(
  phase: PhaseSpec,
  rate: RateRamp,
  durationMs: number,
  options: PlanOptions,
  seed: number,
): OpenLoadSpec {
  return {
    ...loadCommon(phase, options, durationMs),
    loop: 'open',
    rate,
    spacing: phase.spacing ?? 'uniform',
    maxConnections: phase.maxConnections ?? defaultMaxConnections,
    seed,
  }
}

/** alternate: slices — every step measured for a slice (its duration, or sliceMs), after a warm-up of its own. */
interface Slices {
  /** undefined: the phase's duration. */
  sliceMs: number | undefined
  warmupMs: number
}

function planSteps(
  phase: PhaseSpec,
  options: PlanOptions,
  phaseIndex: number,
  slices?: Slices,
): PlannedStep[] {
  const common = (durationMs: number) => loadCommon(phase, options, durationMs)
  const loads: ((durationMs: number, warmup: boolean) => LoadSpec)[] = phase.rate
    ? phase.rate.map(
        (rate, step) => (durationMs, warmup) =>
          openLoadSpec(
            phase,
            warmup ? { from: rate.from, to: rate.from } : rate,
            durationMs,
            options,
            phaseIndex * 1000 + step + 1,
          ),
      )
    : phase.protocol === 'websocket'
      ? (phase.connections ?? []).map((connections) => (durationMs) => ({
          ...common(durationMs),
          loop: 'websocket',
          protocol: 'websocket',
          connections,
          websocket: phase.websocket ?? websocketSchema.parse({}),
        }))
      : (phase.connections ?? []).map((connections) => (durationMs) => ({
          ...common(durationMs),
          loop: 'closed',
          connections,
          pipelining: phase.pipelining,
          ...(phase.churn === undefined ? {} : { churn: phase.churn }),
        }))
  return loads.map((load, step) => ({
    phase: phase.name,
    step,
    ...(slices
      ? slices.warmupMs > 0
        ? { warmup: load(slices.warmupMs, true) }
        : {}
      : step === 0 && phase.warmup !== undefined
        ? { warmup: load(phase.warmup, true) }
        : {}),
    load: load(slices?.sliceMs ?? phase.duration, false),
    ...(phase.slowClients ? { slowClients: phase.slowClients } : {}),
    ...(phase.idleConnections ? { idleConnections: phase.idleConnections } : {}),
  }))
}

/** About how long one step takes: its warm-up, its load and a little overhead (the plan estimate's part). */
export function estimateStepMs(step: PlannedStep): number {
  return step.load.durationMs + (step.warmup?.durationMs ?? 0) + rampMs(step.load) + stepOverheadMs
}

/** A WebSocket step opens its connections at its ramp before its measured time starts. */
function rampMs(load: LoadSpec): number {
  return load.loop === 'websocket' ? (load.connections / load.websocket.ramp) * 1000 : 0
}

/** About how long one stack run takes: its start, verification and stop, and its steps with their warm-ups. */
export function estimateRunMs(steps: readonly PlannedStep[]): number {
  return steps.reduce((sum, s) => sum + estimateStepMs(s), stackOverheadMs)
}

/**
 * Profile → the ordered list of stack runs. Trials alternate the stack order (A B, B A, …) so that drift
 * on a noisy machine does not favour the stack that always runs first. With gate.alternate: slices, each stack
 * is started once and kept, and every step is measured for a slice after a warm-up of its own. With trials: auto the plan holds
 * maxTrials of them, and its estimate is the longest the run can take.
 */
export function buildPlan(profile: Profile, options: PlanOptions): Plan {
  const gate = profile.gate
  // slices are for an A/B gate in one run; a gate: section for a stored baseline leaves the trials as they are
  const slices =
    gate?.alternate === 'slices' && gate.baseline !== undefined && gate.candidate !== undefined
      ? { sliceMs: gate.sliceMs, warmupMs: gate.sliceWarmupMs }
      : undefined
  // slices: both stacks started once and kept, the load alternating between them
  const restart = slices ? 'run' : profile.restart
  const stepsOf = new Map(
    profile.stacks.map((stack) => [
      stack.name,
      profile.phases.flatMap((phase, i) =>
        planSteps(phase, { ...options, stackProcesses: stackProcesses(stack) }, i, slices),
      ),
    ]),
  )
  const steps = stepsOf.get(profile.stacks[0]?.name ?? '') ?? []
  const runs: StackRun[] = []
  const trials = profile.trials === 'auto' ? profile.maxTrials : profile.trials
  for (let trial = 0; trial < trials; trial++) {
    const order = trial % 2 === 0 ? profile.stacks : [...profile.stacks].reverse()
    for (const stack of order) runs.push({ trial, stack, steps: stepsOf.get(stack.name) ?? steps })
  }
  const runMs = estimateRunMs(steps)
  const starts = restart === 'run' ? profile.stacks.length : runs.length
  const estimatedMs = runs.length * (runMs - stackOverheadMs) + starts * stackOverheadMs
  const auto =
    profile.trials === 'auto'
      ? {
          minTrials: profile.minTrials,
          maxTrials: profile.maxTrials,
          ...(profile.budget === undefined ? {} : { budgetMs: profile.budget }),
        }
      : undefined
  return {
    profile: profile.name,
    trials,
    ...(auto ? { auto } : {}),
    restart,
    runs,
    estimatedMs,
  }
}
