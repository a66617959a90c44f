import { cpus } from 'node:os'
import { BenchError } from '../bench-error.js'
import { runPlan } from '../execute/run-plan.js'
import { evaluateGate } from '../gate/evaluate-gate.js'
import { pairStacks } from '../gate/pair-cells.js'
import { threadedDriver } from '../load/threaded-driver.js'
import { buildPlan } from '../plan/build-plan.js'
import { renderFailures } from '../report/render-failures.js'
import { renderResultsTable } from '../report/render-results-table.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import { preflight } from '../stacks/preflight.js'
import { type AutoTrialsState, autoTrials } from './auto-trials.js'
import { loadProfile } from './load-profile.js'
import { printProgress } from './print-progress.js'
import { publishGate } from './publish-gate.js'
import { startResults } from './start-results.js'
import { withInterrupt } from './with-interrupt.js'

export interface RunArgs {
  profile: string
  out?: string | undefined
  allowRemote: boolean
  /** Treat a suspect cell (client-bound, behind schedule) as a failure of the run. */
  strict: boolean
  /** Compare the profile's gate.candidate stack against gate.baseline after the run. */
  gate: boolean
  junit?: string | undefined
}

export type RunOutcome =
  | 'complete'
  | 'cells-failed'
  | 'suspect'
  | 'interrupted'
  | 'regression'
  | 'inconclusive'

/** bench run: validate, pre-flight, run every stack, print the tables; the results file is always valid JSON. */
export async function runCommand(args: RunArgs): Promise<RunOutcome> {
  const loaded = loadProfile(args.profile, args.allowRemote)
  const gateConfig = loaded.profile.gate
  if (args.gate && (gateConfig?.baseline === undefined || gateConfig.candidate === undefined)) {
    throw new BenchError(
      'input',
      `--gate needs the profile to name the two stacks to compare`,
      'add to the profile: gate: { baseline: <stack>, candidate: <stack> } (see profiles/ci.yml)',
    )
  }
  await preflight(loaded.profile, loaded.dir)
  const plan = buildPlan(loaded.profile, { cpuCount: cpus().length })
  const { results, resultsFile } = startResults(loaded, args.out)
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
  const runs = plan.auto && ab ? autoTrials(plan, results, ab, auto) : plan.runs
  await withInterrupt((signal) =>
    runPlan({
      plan: { restart: plan.restart, runs, total: plan.runs.length },
      profile: loaded.profile,
      profileDir: loaded.dir,
      driver: threadedDriver,
      results,
      resultsFile,
      signal,
      onProgress: printProgress,
    }),
  )

  if (results.cells.length > 0) process.stdout.write(`\n${renderResultsTable(results)}\n`)
  const failures = renderFailures(results)
  if (failures) process.stderr.write(`\n${failures}\n`)
  process.stderr.write(`\nresults (${results.status}): ${resultsFile}\n`)
  if (results.status === 'interrupted') return 'interrupted'
  if (results.cells.some((c) => c.status === 'failed')) return 'cells-failed'
  const trialsRun = Math.max(0, ...results.trials.map((t) => t.trial + 1))
  if (plan.auto) {
    process.stderr.write(
      `trials: auto — ${trialsRun} trials a side; ${{ decision: 'the gate decided', 'max trials': `maxTrials (${plan.auto.maxTrials}) reached`, budget: 'one more would have overrun the budget', failure: 'a cell failed' }[auto.stoppedBy]}\n`,
    )
  }
  if (args.gate && ab) {
    const look = plan.auto
      ? { trials: trialsRun, minTrials: plan.auto.minTrials, maxTrials: plan.auto.maxTrials }
      : undefined
    results.gate = evaluateGate(
      pairStacks(results, ab.baseline, ab.candidate),
      ab,
      ab.baseline,
      ab.candidate,
      look,
    )
    writeJsonAtomically(resultsFile, results)
    const verdict = publishGate(results.gate, args.junit)
    if (verdict !== 'pass') return verdict
  }
  return args.strict && results.cells.some((c) => c.verdict?.status === 'suspect') ? 'suspect' : 'complete'
}
