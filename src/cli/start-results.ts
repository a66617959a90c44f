import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { BenchError } from '../bench-error.js'
import { collectEnvironment } from '../results/collect-environment.js'
import { openRecordLog } from '../results/open-record-log.js'
import { recordsFile } from '../results/records-file.js'
import { type Environment, type ResultSet, resultSchemaVersion } from '../results/results-file-schema.js'
import type { RunStartedRecord } from '../results/run-record-schema.js'
import { createRunRecorder, type RunRecorder } from '../results/run-recorder.js'
import { writeJsonAtomically } from '../results/write-json-atomically.js'
import type { LoadedProfile } from './load-profile.js'
import { packageVersions } from './package-versions.js'

function defaultResultsFile(profileFile: string, startedAt: string): string {
  const stamp = startedAt.replace(/[:.]/g, '-')
  return join('results', `${basename(profileFile).replace(/\.ya?ml$/, '')}-${stamp}.json`)
}

interface StartedResults {
  resultsFile: string
  /** The records file beside it (results/x.jsonl): every record, appended as the run goes. */
  recordsFile: string
  recorder: RunRecorder
  /**
   * Ends the run: records how it ended, writes the results file from the fold of the records (atomically),
   * closes the records file, and returns the result set. The one place a run's status is set.
   */
  finish(status: 'complete' | 'interrupted' | 'failed'): ResultSet
}

/**
 * A run's results as it starts: the results file written with status "running" (so a bad --out fails before
 * any load), the records file opened beside it with the run-started record in it.
 */
export function startResults(
  loaded: LoadedProfile,
  out: string | undefined,
  options: {
    plan?: RunStartedRecord['plan'] | undefined
    /** The machine's facts; collected here (git and every server's --version) unless given. */
    environment?: Environment | undefined
  } = {},
): StartedResults {
  const { plan, environment } = options
  const startedAt = new Date().toISOString()
  const resultsFile = out ?? defaultResultsFile(loaded.file, startedAt)
  const versions = packageVersions()
  const gateConfig = loaded.profile.gate
  const started: RunStartedRecord = {
    kind: 'run-started',
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: versions.bench },
    profile: {
      name: loaded.profile.name,
      file: loaded.file,
      sha256: createHash('sha256').update(loaded.text).digest('hex'),
    },
    startedAt,
    environment: environment ?? collectEnvironment(versions),
    ...(gateConfig ? { gateConfig } : {}),
    ...(plan ? { plan } : {}),
  }
  const records = recordsFile(resultsFile)
  let log: ReturnType<typeof openRecordLog>
  try {
    // the records file first, with the run's start in it: a reader that finds the results file 'running' then
    // always finds its records
    log = openRecordLog(records, started)
    const { kind: _, plan: __, ...head } = started
    writeJsonAtomically(resultsFile, {
      ...head,
      status: 'running',
      stackRuns: [],
      trials: [],
      cells: [],
      warnings: [],
    })
  } catch (error) {
    throw new BenchError(
      'environment',
      `cannot write the results file ${resultsFile}: ${(error as NodeJS.ErrnoException).code}`,
      'choose a writable path with --out',
    )
  }
  const recorder = createRunRecorder(log.append, [started])
  return {
    resultsFile,
    recordsFile: records,
    recorder,
    finish(status) {
      recorder.record({ kind: 'run-finished', status, finishedAt: new Date().toISOString() })
      log.close()
      const results = recorder.results()
      writeJsonAtomically(resultsFile, results)
      return results
    },
  }
}
