import { BenchError } from '../bench-error.js'
import { openHistory } from '../history/open-history.js'
import { historyRunOf } from '../history-analysis/history-run-of.js'
import { readResultSet } from '../results/read-result-set.js'
import { cellKey } from '../stats/cell-key.js'

export interface HistoryAddArgs {
  results: string
  db: string
  commit?: string | undefined
  branch?: string | undefined
}

/** bench history add <results.json>: stores the run — commit, branch, time, machine, every cell's trials. */
export async function historyAddCommand(args: HistoryAddArgs): Promise<void> {
  const results = readResultSet(args.results, 'results file')
  const run = historyRunOf(results, args)
  if (run.values.length === 0) {
    throw new BenchError(
      'input',
      `the results file ${args.results} holds no measured trial`,
      'add the results of a run that measured at least one step',
    )
  }
  const store = await openHistory(args.db, 'write')
  try {
    const cells = new Set(run.values.map(cellKey)).size
    const outcome = await store.addRun(run)
    process.stderr.write(
      outcome === 'added'
        ? `added to ${args.db}: ${run.profile} of ${run.startedAt}, commit ${run.commit ?? 'unknown'}${run.branch ? ` on ${run.branch}` : ''}, ${cells} cells\n`
        : `${args.db} already holds ${run.profile} of ${run.startedAt}: nothing added\n`,
    )
  } finally {
    await store.close()
  }
}
