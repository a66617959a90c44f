import { BenchError } from '../bench-error.js'
import { isPostgresUrl } from '../history/is-postgres-url.js'
import { openHistory } from '../history/open-history.js'
import { checkHistory } from '../history-analysis/check-history.js'
import { historySeries } from '../history-analysis/history-series.js'
import { historyDocument } from '../report/history-document.js'
import { renderReportHtml } from '../report/render-report-html.js'
import { renderReportMarkdown } from '../report/render-report-markdown.js'
import type { ReportDocument } from '../report/report-document.js'
import { readResultSet } from '../results/read-result-set.js'
import { writeTextAtomically } from '../results/write-text-atomically.js'

export const reportFormats = ['html', 'md'] as const
export type ReportFormat = (typeof reportFormats)[number]

export interface ReportArgs {
  results?: string | undefined
  /** A history database instead of a results file: the trend of each metric with its change points. */
  history?: string | undefined
  format: ReportFormat
  out?: string | undefined
}

const reasons: Record<string, string> = {
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file',
  EEXIST: 'a part of the path is a file',
  EISDIR: 'it is a folder',
  ENOENT: 'no such folder',
}

/**
 * results/x.json or its records results/x.jsonl → results/x.html (or x.md), history.sqlite → history.html, a PostgreSQL history →
 * results/history.html; other names get the extension added.
 */
function defaultOut(input: string, format: ReportFormat): string {
  if (isPostgresUrl(input)) return `results/history.${format}`
  return `${input.replace(/\.(jsonl?|sqlite|db)$/i, '')}.${format}`
}

/** The history as a report, with the change points bench history check finds by default. */
async function historyReport(db: string): Promise<ReportDocument> {
  const store = await openHistory(db, 'read')
  try {
    const series = historySeries(await store.runs())
    const options = { window: 30, pValue: 0.001, recent: 1 }
    return historyDocument(db, series, checkHistory(series, options), options)
  } finally {
    await store.close()
  }
}

/** A results file as a report, refusing one that holds nothing to report. */
function resultsReport(file: string) {
  const results = readResultSet(file, 'results file')
  if (!results.capacity && results.cells.length === 0) {
    throw new BenchError(
      'input',
      `the results file ${file} holds no measurement: the run ${results.status === 'interrupted' ? 'was interrupted' : 'ended'} before its first step was measured`,
      'report on a results file with at least one measured step',
    )
  }
  return results
}

/**
 * bench report <results.json|.jsonl> --format html|md [--out FILE]: a results file of bench run or bench capacity
 * (or its records, for a run killed before its end) as a
 * self-contained HTML page (charts and tables) or as Markdown (tables); with --history <db>, the history's trend
 * per metric with its change points. Writes the file atomically and prints its path on stderr.
 */
export async function reportCommand(args: ReportArgs): Promise<void> {
  if ((args.results === undefined) === (args.history === undefined)) {
    throw new BenchError(
      'input',
      args.results === undefined ? 'name what to report on' : 'give a results file or --history, not both',
      'bench report <results.json>, or bench report --history <history.sqlite>',
    )
  }
  const input = (args.results ?? args.history) as string
  const document = args.history ? await historyReport(args.history) : resultsReport(input)
  const text = args.format === 'html' ? await renderReportHtml(document) : renderReportMarkdown(document)
  const out = args.out ?? defaultOut(input, args.format)
  try {
    writeTextAtomically(out, text)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new BenchError(
      'environment',
      `cannot write the report ${out}: ${reasons[code] ?? code}`,
      'choose a writable path with --out',
    )
  }
  process.stderr.write(`${out}\n`)
}
