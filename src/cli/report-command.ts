import { BenchError } from '../bench-error.js'
import { renderReportHtml } from '../report/render-report-html.js'
import { renderReportMarkdown } from '../report/render-report-markdown.js'
import { readResultSet } from '../results/read-result-set.js'
import { writeTextAtomically } from '../results/write-text-atomically.js'

export const reportFormats = ['html', 'md'] as const
export type ReportFormat = (typeof reportFormats)[number]

export interface ReportArgs {
  results: string
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

/** results/x.json → results/x.html (or x.md); a name without .json gets the extension added. */
function defaultOut(results: string, format: ReportFormat): string {
  return `${results.replace(/\.json$/i, '')}.${format}`
}

/**
 * bench report <results.json> --format html|md [--out FILE]: a results file of bench run or bench capacity as a
 * self-contained HTML page (charts and tables) or as Markdown (tables). Writes the file atomically and prints
 * its path on stderr.
 */
export async function reportCommand(args: ReportArgs): Promise<void> {
  const results = readResultSet(args.results, 'results file')
  if (!results.capacity && results.cells.length === 0) {
    throw new BenchError(
      'input',
      `the results file ${args.results} holds no measurement: the run ${results.status === 'interrupted' ? 'was interrupted' : 'ended'} before its first step was measured`,
      'report on a results file with at least one measured step',
    )
  }
  const text = args.format === 'html' ? await renderReportHtml(results) : renderReportMarkdown(results)
  const out = args.out ?? defaultOut(args.results, args.format)
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
