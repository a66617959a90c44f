import { BenchError } from '../bench-error.js'
import type { SearchStep } from '../capacity/capacity-result-schema.js'
import { runCapacity } from '../execute/run-capacity.js'
import { renderCapacityText } from '../report/render-capacity-text.js'
import { renderFailures } from '../report/render-failures.js'
import { preflight } from '../stacks/preflight.js'
import type { CoordinatorSettings } from './agent-options.js'
import { loadProfile } from './load-profile.js'
import { measureRun } from './measure-run.js'
import { planOptions } from './plan-options.js'
import { startResults } from './start-results.js'
import { terminalProgress } from './terminal-progress.js'

export interface CapacityArgs {
  profile: string
  out?: string | undefined
  allowRemote: boolean
  /** req/s to size for; overrides the profile's capacity.target. */
  target?: number | undefined
  /** Share of a machine's capacity to plan on using; overrides capacity.headroom. */
  headroom?: number | undefined
  /** Plain progress lines even on a terminal: no live line, no colours. */
  quiet?: boolean | undefined
  /** Load from several machines: the coordinator's settings (--agents). */
  agents?: CoordinatorSettings | undefined
}

export type CapacityOutcome = 'complete' | 'cells-failed' | 'interrupted'

function describeSearchStep(stack: string, step: SearchStep): string {
  const p99 = step.latency.p99
  const why = step.reasons.length ? ` (${step.reasons.join('; ')})` : ''
  return `    ${stack} ${step.kind} ${Math.round(step.rate)} req/s: ${step.outcome}, achieved ${Math.round(step.achieved)}, p99 ${p99 < 10 ? p99.toFixed(1) : Math.round(p99)} ms${why}`
}

function checkSizing(args: CapacityArgs): void {
  if (args.target !== undefined && !(args.target > 0)) {
    throw new BenchError(
      'input',
      `--target ${args.target} is not a rate`,
      'give req/s above zero, e.g. --target 20000',
    )
  }
  if (args.headroom !== undefined && !(args.headroom > 0 && args.headroom <= 1)) {
    throw new BenchError(
      'input',
      `--headroom ${args.headroom} is not a share of capacity`,
      'give a fraction in (0, 1], e.g. --headroom 0.75 to plan on 75 % of what one machine sustains',
    )
  }
}

/**
 * bench capacity: the highest rate each stack sustains within the profile's SLO, the USL fitted to its
 * scaling sweep, and the machines a target needs; printed as tables and saved in the results file.
 */
export async function capacityCommand(args: CapacityArgs): Promise<CapacityOutcome> {
  checkSizing(args)
  const loaded = loadProfile(args.profile, args.allowRemote)
  const { profile } = loaded
  if (!profile.slo && !profile.scaling) {
    throw new BenchError(
      'input',
      `${args.profile} has neither slo: nor scaling:, so bench capacity has nothing to find`,
      'add slo: { p99: 50ms } with an open-loop phase (rate: N), or scaling: { workers: [1, 2, 4] } — see profiles/capacity.yml',
    )
  }
  await preflight(profile, loaded.dir)
  const started = startResults(loaded, args.out)
  const { recorder, resultsFile } = started
  process.stderr.write(
    `${profile.name}: ${profile.slo ? `SLO search on ${profile.stacks.length} stacks` : ''}${profile.slo && profile.scaling ? ', then ' : ''}${profile.scaling ? 'a scaling sweep' : ''}\n`,
  )
  // the search chooses its steps as it goes: no estimate of the whole run, so no time left for it
  const progress = terminalProgress({ quiet: args.quiet ?? false, trials: 1 })
  const aborted = await measureRun(
    ({ engine, signal, onSpawn }) =>
      runCapacity({
        profile,
        profileDir: loaded.dir,
        engine,
        recorder,
        signal,
        onSpawn,
        planOptions: planOptions(profile),
        target: args.target,
        headroom: args.headroom ?? profile.capacity.headroom,
        onProgress: progress.onProgress,
        onSearchStep: (stack, step) => progress.line(describeSearchStep(stack, step)),
      }),
    {
      closeProgress: progress.close,
      finishFailed: () => started.finish('failed'),
      agents: args.agents,
      record: recorder.record,
    },
  )
  // complete only now, after the search and the sweep: written once, at the end
  const results = started.finish(aborted ? 'interrupted' : 'complete')
  const tables = renderCapacityText(results)
  if (tables) process.stdout.write(`\n${tables}\n`)
  // the search judged its own (open-loop) steps against the SLO: of those, list only the failures
  const cells = results.cells.map((c) => (c.loop === 'open' ? { ...c, verdict: undefined } : c))
  const failures = renderFailures({ ...results, cells })
  if (failures) process.stderr.write(`\n${failures}\n`)
  process.stderr.write(`\nresults (${results.status}): ${resultsFile}\n`)
  process.stderr.write(`report: bench report ${resultsFile}\n`)
  if (results.status === 'interrupted') return 'interrupted'
  const capacity = results.capacity
  const failed =
    capacity?.searches.some((s) => s.status === 'failed') ||
    capacity?.scaling.some((s) => s.points.some((p) => p.reqPerSec === null))
  return failed ? 'cells-failed' : 'complete'
}
