import { BenchError } from '../bench-error.js'
import { openHistory } from '../history/open-history.js'
import { checkHistory, type HistoryCheckOptions } from '../history-analysis/check-history.js'
import { historySeries } from '../history-analysis/history-series.js'
import { renderHistoryCheck } from '../report/render-history-check.js'

export type HistoryOutcome = 'pass' | 'regression'

function checkOptions(options: HistoryCheckOptions): HistoryCheckOptions {
  const { window, pValue, recent } = options
  if (!Number.isInteger(window) || window < 3) {
    throw new BenchError(
      'input',
      `--window must be a whole number of runs, 3 or more (got ${window})`,
      'for example --window 30',
    )
  }
  if (!(pValue > 0 && pValue < 1)) {
    throw new BenchError(
      'input',
      `--p-value must lie between 0 and 1 (got ${pValue})`,
      'for example --p-value 0.001',
    )
  }
  if (!Number.isInteger(recent) || recent < 1) {
    throw new BenchError(
      'input',
      `--recent must be a whole number of runs, 1 or more (got ${recent})`,
      'for example --recent 1',
    )
  }
  return options
}

/** bench history check: change points of every series; a regression starting in the newest runs fails it. */
export async function historyCheckCommand(
  args: { db: string } & HistoryCheckOptions,
): Promise<HistoryOutcome> {
  const options = checkOptions({ window: args.window, pValue: args.pValue, recent: args.recent })
  const store = await openHistory(args.db, 'read')
  try {
    const check = checkHistory(historySeries(await store.runs()), options)
    process.stdout.write(`${renderHistoryCheck(check, options)}\n`)
    return check.verdict
  } finally {
    await store.close()
  }
}
