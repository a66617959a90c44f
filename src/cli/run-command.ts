import { BenchError } from '../bench-error.js'
import { runPlan } from '../execute/run-plan.js'
import { evaluateGate } from '../gate/evaluate-gate.js'
import type { GateResult } from '../gate/gate-result-schema.js'
import { pairStacks } from '../gate/pair-cells.js'
import { buildPlan } from '../plan/build-plan.js'
import { selectStacks } from '../profile/select-stacks.js'
import type { UrlLoad } from '../profile/url-profile-input.js'
import { renderFailures } from '../report/render-failures.js'
import { renderResultsTable } from '../report/render-results-table.js'
import { preflight } from '../stacks/preflight.js'
import type { CoordinatorSettings } from './agent-options.js'
import { type AutoTrialsState, autoTrials } from './auto-trials.js'
import { type LoadedProfile, loadProfile } from './load-profile.js'
import { loadUrlProfile } from './load-url-profile.js'
import { measureRun } from './measure-run.js'
import { planOptions } from './plan-options.js'
import { publishGate } from './publish-gate.js'
import { startResults } from './start-results.js'
import { terminalProgress } from './terminal-progress.js'

export interface RunArgs {
  /** A profile file, or … */
  profile?: string | undefined
  /** … a one-line run of a server already running, with the flags of its load. */
  url?: string | undefined
  load?: Omit<UrlLoad, 'url'> | undefined
  /** Only these stacks of the profile. */
  stacks?: string[] | undefined
  out?: string | undefined
  allowRemote: boolean
  /** Treat a suspect cell (client-bound, behind schedule) as a failure of the run. */
  strict: boolean
  /** Compare the profile's gate.candidate stack against gate.baseline after the run. */
  gate: boolean
  junit?: string | undefined
  /** Plain progress lines even on a terminal: no live line, no colours. */
  quiet?: boolean | undefined
  /** Load from several machines: the coordinator's settings (--agents). */
  agents?: CoordinatorSettings | undefined
}

export type RunOutcome =
  | 'complete'
  | 'cells-failed'
  | 'suspect'
  | 'interrupted'
  | 'regression'
  | 'inconclusive'

/** The profile to run: a file (all its stacks, or those of --stacks), or a one-line run's. */
function chooseProfile(args: RunArgs): LoadedProfile {
  if (args.url !== undefined && args.profile !== undefined) {
    throw new BenchError(
      'input',
      `both a profile (${args.profile}) and --url given`,
      'run the profile, or the url: bench run --url <url> -c 50',
    )
  }
  if (args.url !== undefined) return loadUrlProfile({ ...args.load, url: args.url }, args.allowRemote)
  const set = Object.entries(args.load ?? {}).find(([, value]) => value !== undefined)?.[0]
  if (set !== undefined) {
    const flag =
      {
        connections: '-c/--connections',
        rate: '-r/--rate',
        duration: '-d/--duration',
        headers: '-H/--header',
      }[set] ?? `--${set}`
    throw new BenchError(
      'input',
      `${flag} sets the load of a one-line run (bench <url> or bench run --url), not of a profile`,
      "set it in the profile's phases instead, or drop it",
    )
  }
  if (args.profile === undefined) {
    throw new BenchError(
      'input',
      'bench run needs a profile or --url',
      'e.g. bench run profiles/quick.yml, or bench run --url http://127.0.0.1:8080/',
    )
  }
  const loaded = loadProfile(args.profile, args.allowRemote)
  return args.stacks ? { ...loaded, profile: selectStacks(loaded.profile, args.stacks) } : loaded
}

/** bench run: validate, pre-flight, run every stack, print the tables; the results file is always valid JSON. */
export async function runCommand(args: RunArgs): Promise<RunOutcome> {
  const loaded = chooseProfile(args)
  const gateConfig = loaded.profile.gate
  if (args.gate && (gateConfig?.baseline === undefined || gateConfig.candidate === undefined)) {
    throw new BenchError(
      'input',
      `--gate needs the profile to name the two stacks to compare`,
      'add to the profile: gate: { baseline: <stack>, candidate: <stack> } (see profiles/ci.yml)',
    )
  }
  const missing = [gateConfig?.baseline, gateConfig?.candidate].filter(
    (name) => name !== undefined && !loaded.profile.stacks.some((s) => s.name === name),
  )
  if (args.gate && missing.length) {
    throw new BenchError(
      'input',
      `--gate compares the profile's gate.baseline and gate.candidate, but --stacks leaves out ${missing.join(' and ')}`,
      `add ${missing.join(',')} to --stacks, or drop --gate`,
    )
  }
  await preflight(loaded.profile, loaded.dir)
  const plan = buildPlan(loaded.profile, planOptions(loaded.profile))
  const started = startResults(loaded, args.out, {
    plan: { stackRuns: plan.runs.length, estimatedMs: plan.estimatedMs },
  })
  const { recorder, resultsFile } = started
  process.stderr.write(
    plan.auto
      ? `${loaded.profile.name}: trials: auto, ${plan.auto.minTrials} to ${plan.auto.maxTrials} trials, ${plan.runs.length} stack runs and about ${Math.ceil(plan.estimatedMs / 1000)} s at most\n`
      : `${loaded.profile.name}: ${plan.runs.length} stack runs, about ${Math.ceil(plan.estimatedMs / 1000)} s\n`,
  )
  const ab =
    gateConfig?.baseline !== undefined && gateConfig.candidate !== undefined
      ? { ...gateConfig, baseline: gateConfig.baseline, candidate: gateConfig.candidate }
      : undefined
  const auto: AutoTrialsState = { stoppedBy: 'max trials' }
  const autoRuns = plan.auto && ab ? autoTrials(plan, ab, auto) : undefined
  if (autoRuns) recorder.listen(autoRuns.observe)
  const progress = terminalProgress({
    quiet: args.quiet ?? false,
    estimatedMs: plan.estimatedMs,
    trials: plan.trials,
  })
  const aborted = await measureRun(
    ({ engine, signal, onSpawn }) =>
      runPlan({
        plan: { restart: plan.restart, runs: autoRuns?.runs ?? plan.runs, total: plan.runs.length },
        profile: loaded.profile,
        profileDir: loaded.dir,
        engine,
        record: recorder.record,
        signal,
        onSpawn,
        onProgress: progress.onProgress,
      }),
    {
      closeProgress: progress.close,
      finishFailed: () => started.finish('failed'),
      agents: args.agents,
      record: recorder.record,
    },
  )

  // the gate is judged from the records, before the run is finished (its verdict is one of them)
  let results = recorder.results()
  const completed = !aborted && !results.cells.some((c) => c.status === 'failed')
  const trialsRun = Math.max(0, ...results.trials.map((t) => t.trial + 1))
  let gate: GateResult | undefined
  try {
    gate =
      completed && args.gate && ab
        ? evaluateGate(
            pairStacks(results, ab.baseline, ab.candidate),
            ab,
            ab.baseline,
            ab.candidate,
            plan.auto
              ? { trials: trialsRun, minTrials: plan.auto.minTrials, maxTrials: plan.auto.maxTrials }
              : undefined,
          )
        : undefined
  } catch (error) {
    started.finish('complete') // every step ran: only the verdict could not be reached
    throw error
  }
  const undecided = gate === undefined || gate.verdict === 'inconclusive'
  if (plan.auto && completed && undecided && ['max trials', 'budget'].includes(auto.stoppedBy)) {
    recorder.record({
      kind: 'warning',
      message: `trials: auto ran ${trialsRun} trials a side, up to ${auto.stoppedBy === 'budget' ? 'its budget' : `maxTrials (${plan.auto.maxTrials})`}, and the gate did not decide`,
      fix: 'raise maxTrials (or budget), or lower the noise: cpus: to pin the stacks and the generator apart, longer steps',
    })
  }
  if (gate) recorder.record({ kind: 'gate', gate })
  results = started.finish(aborted ? 'interrupted' : 'complete')

  if (results.cells.length > 0) process.stdout.write(`\n${renderResultsTable(results)}\n`)
  const failures = renderFailures(results)
  if (failures) process.stderr.write(`\n${failures}\n`)
  process.stderr.write(`\nresults (${results.status}): ${resultsFile}\n`)
  if (results.status === 'interrupted') return 'interrupted'
  if (results.cells.some((c) => c.status === 'failed')) return 'cells-failed'
  if (plan.auto) {
    process.stderr.write(
      `trials: auto — ${trialsRun} trials a side; ${{ decision: 'the gate decided', 'max trials': `maxTrials (${plan.auto.maxTrials}) reached`, budget: 'one more would have overrun the budget', failure: 'a cell failed' }[auto.stoppedBy]}\n`,
    )
  }
  if (gate) {
    const verdict = publishGate(gate, args.junit)
    if (verdict !== 'pass') return verdict
  }
  return args.strict && results.cells.some((c) => c.verdict?.status === 'suspect') ? 'suspect' : 'complete'
}
