import type { ResultSet } from '../results/results-file-schema.js'
import { markdownCell } from './markdown-cell.js'
import { type ReportDocument, reportDocument } from './report-document.js'
import type { ReportTable } from './report-table.js'

function renderTable(table: ReportTable): string {
  const lines = [
    `### ${markdownCell(table.title)}`,
    '',
    `| ${table.head.map(markdownCell).join(' | ')} |`,
    `| ${table.head.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row, r) => {
      // a suspect or failed row is marked on its first cell, the stack
      const marked = table.rowMarks?.[r]
      const mark = marked ? { suspect: '⚠️ ', failed: '❌ ' }[marked] : ''
      return `| ${row.map((cell, i) => `${i === 0 ? mark : ''}${markdownCell(cell)}`).join(' | ')} |`
    }),
  ]
  if (table.notes?.length) lines.push('', ...table.notes.map((n) => `- ${markdownCell(n)}`))
  return lines.join('\n')
}

/**
 * A report as GitHub Markdown (for $GITHUB_STEP_SUMMARY or a pull request): the facts, then every table.
 * Charts need the HTML report.
 */
export function renderReportMarkdown(input: ResultSet | ReportDocument): string {
  const { title, facts, findings, warnings, charts, chartsNote, tables } =
    'schemaVersion' in input ? reportDocument(input) : input
  return [
    `## ${markdownCell(title)}`,
    '',
    ...facts.map(([label, value]) => `- **${label}:** ${markdownCell(value)}`),
    '',
    ...(findings.length > 0
      ? [
          '### Findings',
          '',
          ...findings.map(
            (f) =>
              `- ${f.verdict ? `**${f.verdict}:** ` : ''}${markdownCell(f.text)}${f.cells.length ? ` _(cells: ${f.cells.map(markdownCell).join(', ')})_` : ''}`,
          ),
          '',
        ]
      : []),
    ...(warnings.length > 0
      ? ['### Warnings', '', ...warnings.map((w) => `- ⚠️ ${markdownCell(w)}`), '']
      : []),
    ...(charts.length > 0
      ? [`_Charts (${chartsNote}) are in the HTML report: \`bench report <results> --format html\`._`, '']
      : []),
    ...tables.flatMap((table) => [renderTable(table), '']),
  ].join('\n')
}
