import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { basename, join } from 'node:path'
import { BenchError } from '../bench-error.js'
import { runPlan } from '../execute/run-plan.js'
import { evaluateGate } from '../gate/evaluate-gate.js'
import { pairStacks } from '../gate/pair-cells.js'
import { threadedDriver } from '../load/threaded-driver.js'
import { buildPlan } from '../plan/build-plan.js'
import { renderFailures } from '../report/render-failures.js'
import { renderResultsTable } from '../report/render-results-table.js'
import { collectEnvironment } from '../results/collect-environment.js'
import { type ResultSet, resultSchemaVersion } from '../results/result-set-schema.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import { preflight } from '../stacks/preflight.js'
import { loadProfile } from './load-profile.js'
import { printProgress } from './print-progress.js'
import { publishGate } from './publish-gate.js'

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

function packageVersions(): Record<string, string> {
  const read = (path: string) =>
    JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }
  return {
    bench: read('../../../package.json').version,
    autocannon: read('../../../node_modules/autocannon/package.json').version,
  }
}

function defaultResultsFile(profileFile: string, startedAt: string): string {
  const stamp = startedAt.replace(/[:.]/g, '-')
  return join('results', `${basename(profileFile).replace(/\.ya?ml$/, '')}-${stamp}.json`)
}

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
  const startedAt = new Date().toISOString()
  const resultsFile = args.out ?? defaultResultsFile(loaded.file, startedAt)
  const versions = packageVersions()
  const results: ResultSet = {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: versions.bench ?? '0.0.0' },
    status: 'running',
    profile: {
      name: loaded.profile.name,
      file: loaded.file,
      sha256: createHash('sha256').update(loaded.text).digest('hex'),
    },
    startedAt,
    environment: collectEnvironment(versions),
    stackRuns: [],
    trials: [],
    cells: [],
    warnings: [],
    ...(gateConfig ? { gateConfig } : {}),
  }
  try {
    writeJsonAtomically(resultsFile, results)
  } catch (error) {
    throw new BenchError(
      'environment',
      `cannot write the results file ${resultsFile}: ${(error as NodeJS.ErrnoException).code}`,
      'choose a writable path with --out',
    )
  }

  const controller = new AbortController()
  const interrupt = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted)
      process.stderr.write(`\n${signal}: stopping the load and every process bench started…\n`)
    controller.abort()
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)
  process.stderr.write(
    `${loaded.profile.name}: ${plan.runs.length} stack runs, about ${Math.ceil(plan.estimatedMs / 1000)} s\n`,
  )
  try {
    await runPlan({
      plan,
      profile: loaded.profile,
      profileDir: loaded.dir,
      driver: threadedDriver,
      results,
      resultsFile,
      signal: controller.signal,
      onProgress: printProgress,
    })
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }

  if (results.cells.length > 0) process.stdout.write(`\n${renderResultsTable(results)}\n`)
  const failures = renderFailures(results)
  if (failures) process.stderr.write(`\n${failures}\n`)
  process.stderr.write(`\nresults (${results.status}): ${resultsFile}\n`)
  if (results.status === 'interrupted') return 'interrupted'
  if (results.cells.some((c) => c.status === 'failed')) return 'cells-failed'
  if (args.gate && gateConfig?.baseline !== undefined && gateConfig.candidate !== undefined) {
    results.gate = evaluateGate(
      pairStacks(results, gateConfig.baseline, gateConfig.candidate),
      gateConfig,
      gateConfig.baseline,
      gateConfig.candidate,
    )
    writeJsonAtomically(resultsFile, results)
    const verdict = publishGate(results.gate, args.junit)
    if (verdict !== 'pass') return verdict
  }
  return args.strict && results.cells.some((c) => c.verdict?.status === 'suspect') ? 'suspect' : 'complete'
}
