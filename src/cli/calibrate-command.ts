import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BenchError } from '../bench-error.js'
import { calibrateGate } from '../gate/calibrate-gate.js'
import { gateCellValues } from '../gate/evaluate-gate.js'
import { pairStacks } from '../gate/pair-cells.js'
import { gateSchema, type Profile } from '../profile/schema.js'
import { renderCalibration } from '../report/render-calibration.js'
import { readResultSet } from '../results/read-result-set.js'
import { type RunOutcome, runCommand } from './run-command.js'

export interface CalibrateArgs {
  profile: string
  /** Pairs of A/A trials to run (default 20). */
  pairs?: number | undefined
  /** Keep the A/A results here (default: a temporary file, removed). */
  out?: string | undefined
  allowRemote: boolean
  quiet?: boolean | undefined
}

/** The profile's gate baseline (or its first stack) against a copy of itself, `pairs` trials, the gate unpublished. */
function againstItself(profile: Profile, pairs: number): Profile {
  const name = profile.gate?.baseline ?? profile.stacks[0]?.name
  const base = profile.stacks.find((s) => s.name === name)
  if (!base)
    throw new BenchError(
      'input',
      `no stack ${name} to calibrate`,
      'name a stack of the profile in gate.baseline',
    )
  if (base.port !== undefined)
    throw new BenchError(
      'input',
      `stack ${base.name} has a fixed port (${base.port}): its copy for the A/A calibration cannot listen there too`,
      'drop port: from the stack to calibrate it',
    )
  const again = { ...base, name: `${base.name}-again` }
  const gate = { ...(profile.gate ?? gateSchema.parse({})), baseline: base.name, candidate: again.name }
  return { ...profile, trials: pairs, stacks: [base, again], gate }
}

/**
 * bench gate --calibrate <profile>: runs the gate's baseline against itself (A/A, trials interleaved as a gate's
 * are) and prints, per metric, its noise, the smallest change a gate resolves at 6, 10 and 20 pairs, and the
 * thresholds it suggests for this runner.
 */
export async function calibrateCommand(args: CalibrateArgs): Promise<RunOutcome> {
  const pairs = args.pairs ?? 20
  if (!Number.isInteger(pairs) || pairs < 6 || pairs > 100)
    throw new BenchError('input', `--pairs ${pairs}: calibration needs 6 to 100 pairs`, 'e.g. --pairs 20')
  const folder = args.out === undefined ? mkdtempSync(join(tmpdir(), 'bench-calibrate-')) : undefined
  const out = args.out ?? join(folder as string, 'calibration.json')
  try {
    let config = gateSchema.parse({})
    let baseline = ''
    const outcome = await runCommand({
      profile: args.profile,
      out,
      allowRemote: args.allowRemote,
      strict: false,
      gate: false,
      quiet: args.quiet,
      adjust: (profile) => {
        const adjusted = againstItself(profile, pairs)
        config = adjusted.gate ?? config
        baseline = adjusted.gate?.baseline ?? ''
        return adjusted
      },
    })
    if (outcome !== 'complete' && outcome !== 'suspect') return outcome
    const results = readResultSet(out, 'calibration results')
    const cells = pairStacks(results, baseline, `${baseline}-again`).map(gateCellValues)
    process.stdout.write(`\n${renderCalibration(calibrateGate(cells, config), pairs)}\n`)
    return 'complete'
  } finally {
    if (folder) rmSync(folder, { recursive: true, force: true })
  }
}
