import type { ResultSet } from '../results/result-set-schema.js'
import { reportDocument } from './report-document.js'
import type { ReportTable } from './report-table.js'

/** Text in a table cell: a `|` would end the cell, a line break the row. */
const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

function renderTable(table: ReportTable): string {
  const lines = [
    `### ${cell(table.title)}`,
    '',
    `| ${table.head.map(cell).join(' | ')} |`,
    `| ${table.head.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ]
  if (table.notes?.length) lines.push('', ...table.notes.map((n) => `- ${cell(n)}`))
  return lines.join('\n')
}

/**
 * A report as GitHub Markdown (for $GITHUB_STEP_SUMMARY or a pull request): the facts, then every table.
 * Charts need the HTML report.
 */
export function renderReportMarkdown(results: ResultSet): string {
  const { title, facts, warnings, charts, chartsNote, tables } = reportDocument(results)
  return [
    `## ${cell(title)}`,
    '',
    ...facts.map(([label, value]) => `- **${label}:** ${cell(value)}`),
    '',
    ...(warnings.length > 0 ? ['### Warnings', '', ...warnings.map((w) => `- ⚠️ ${cell(w)}`), ''] : []),
    ...(charts.length > 0
      ? [`_Charts (${chartsNote}) are in the HTML report: \`bench report <results> --format html\`._`, '']
      : []),
    ...tables.flatMap((table) => [renderTable(table), '']),
  ].join('\n')
}
