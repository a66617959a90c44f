import type { ResultSet } from '../results/result-set-schema.js'
import { capacityFacts } from './capacity-facts.js'
import { capacityTables } from './capacity-tables.js'
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
 * The capacity report as GitHub Markdown (for $GITHUB_STEP_SUMMARY or a pull request): the facts, then every
 * table. Charts need the HTML report.
 */
export function renderCapacityMarkdown(results: ResultSet): string {
  const facts = capacityFacts(results).map(([label, value]) => `- **${label}:** ${cell(value)}`)
  const warnings = results.warnings.map(
    (w) => `- ⚠️ ${cell(`${w.stack ? `${w.stack}: ` : ''}${w.message} — fix: ${w.fix}`)}`,
  )
  return [
    `## Capacity report: ${cell(results.profile.name)}`,
    '',
    ...facts,
    '',
    ...(warnings.length > 0 ? ['### Warnings', '', ...warnings, ''] : []),
    '_Charts (latency against offered rate, throughput against workers, proxy cost) are in the HTML report: `bench report <results> --format html`._',
    '',
    ...capacityTables(results).flatMap((table) => [renderTable(table), '']),
  ].join('\n')
}
