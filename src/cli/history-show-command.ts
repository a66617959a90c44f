import { openHistory } from '../history/open-history.js'
import { historySeries } from '../history-analysis/history-series.js'
import { renderHistoryTable } from '../report/render-history-table.js'

/** bench history show: every cell's series, a row per run. */
export async function historyShowCommand(args: { db: string }): Promise<void> {
  const store = await openHistory(args.db, 'read')
  try {
    process.stdout.write(`${renderHistoryTable(historySeries(await store.runs()))}\n`)
  } finally {
    await store.close()
  }
}
