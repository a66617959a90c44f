import { openHistory } from '../history/history-store.js'
import { historySeries } from '../history-analysis/history-series.js'
import { renderHistoryTable } from '../report/render-history-table.js'

/** bench history show: every cell's series, a row per run. */
export function historyShowCommand(args: { db: string }): void {
  const store = openHistory(args.db, 'read')
  try {
    process.stdout.write(`${renderHistoryTable(historySeries(store.runs()))}\n`)
  } finally {
    store.close()
  }
}
