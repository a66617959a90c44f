import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { BenchError } from '../bench-error.js'
import { collectEnvironment } from '../results/collect-environment.js'
import { type Environment, type ResultSet, resultSchemaVersion } from '../results/result-set-schema.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import type { LoadedProfile } from './load-profile.js'
import { packageVersions } from './package-versions.js'

function defaultResultsFile(profileFile: string, startedAt: string): string {
  const stamp = startedAt.replace(/[:.]/g, '-')
  return join('results', `${basename(profileFile).replace(/\.ya?ml$/, '')}-${stamp}.json`)
}

/**
 * The result set of a run as it starts, already written to its file (so a bad --out fails before any load).
 * The environment is collected here (git and every server's --version) unless the caller gives one.
 */
export function startResults(
  loaded: LoadedProfile,
  out: string | undefined,
  environment?: Environment,
): { results: ResultSet; resultsFile: string } {
  const startedAt = new Date().toISOString()
  const resultsFile = out ?? defaultResultsFile(loaded.file, startedAt)
  const versions = packageVersions()
  const gateConfig = loaded.profile.gate
  const results: ResultSet = {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: versions.bench },
    status: 'running',
    profile: {
      name: loaded.profile.name,
      file: loaded.file,
      sha256: createHash('sha256').update(loaded.text).digest('hex'),
    },
    startedAt,
    environment: environment ?? collectEnvironment(versions),
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
  return { results, resultsFile }
}
