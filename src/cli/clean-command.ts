import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readResultSet } from '../results/read-result-set.js'
import { type StopOutcome, stopRecordedGroups } from '../watchdog/stop-recorded-groups.js'

const said: Record<StopOutcome, (pid: number) => string> = {
  stopped: () => 'stopped (its whole process group)',
  gone: () => 'already gone',
  'not-ours': () => 'the pid now belongs to another process: left alone',
  unverified: (pid) =>
    `recorded without a start time (by an older bench), so bench cannot tell it is still its process: left alone (if it is, kill -TERM -${pid})`,
}

/** The newest results file in results/ of a run that never finished (status "running"). */
function newestUnfinished(): string | undefined {
  let names: string[]
  try {
    names = readdirSync('results').filter((n) => n.endsWith('.json'))
  } catch {
    return undefined
  }
  const unfinished = names
    .map((n) => join('results', n))
    .filter((file) => {
      try {
        return readResultSet(file, 'results file', { followRecords: false }).status === 'running'
      } catch {
        return false // not a results file of this bench
      }
    })
  return unfinished.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
}

/**
 * bench clean: stops what a crashed run left behind, by the pids its records (results/x.jsonl beside results/x.json) name — each only if it
 * is still the process bench started (same start time), never by name. Without a file: the newest unfinished
 * run in results/.
 */
export async function cleanCommand(args: { results?: string | undefined }): Promise<void> {
  const file = args.results ?? newestUnfinished()
  if (file === undefined) {
    process.stdout.write('bench clean: no unfinished run in results/, nothing to clean\n')
    return
  }
  // the results file says how the run ended ("running": it never did); its records name every process spawned
  const { status } = readResultSet(file, 'results file', { followRecords: false })
  const processes = readResultSet(file, 'results file').stackRuns.flatMap((run) => run.processes)
  process.stdout.write(`bench clean: ${file} (${status}, ${processes.length} processes recorded)\n`)
  for (const { process: p, outcome } of await stopRecordedGroups(processes, 3000))
    process.stdout.write(`  ${p.name} (pid ${p.pid}): ${said[outcome](p.pid)}\n`)
}
