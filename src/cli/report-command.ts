import { BenchError } from '../bench-error.js'
import { renderCapacityHtml } from '../report/render-capacity-html.js'
import { renderCapacityMarkdown } from '../report/render-capacity-markdown.js'
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
 * bench report <results.json> --format html|md [--out FILE]: the capacity section of a results file as a
 * self-contained HTML page (charts and tables) or as Markdown (tables). Writes the file atomically and prints
 * its path on stderr.
 */
export async function reportCommand(args: ReportArgs): Promise<void> {
  const results = readResultSet(args.results, 'results file')
  if (!results.capacity) {
    throw new BenchError(
      'input',
      `the results file ${args.results} has no capacity section: it was written by bench run; the report needs bench capacity <profile>`,
      'run bench capacity <profile> and report on the results file it writes',
    )
  }
  const text = args.format === 'html' ? await renderCapacityHtml(results) : renderCapacityMarkdown(results)
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
