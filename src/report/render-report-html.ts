import { escapeMarkup } from '../escape-markup.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { Finding } from './finding.js'
import { renderVegaSvg } from './render-vega-svg.js'
import { type ReportDocument, reportDocument } from './report-document.js'
import type { ReportTable } from './report-table.js'

/** A column is right-aligned when every filled cell reads as a number ("12,000", "≥ 24,000", "-400", "0.950"). */
const numeric = /^(?:[≥≤] )?[+-]?[\d,]+(?:\.\d+)?(?: ±[\d.]+%)?$/

function renderTable(table: ReportTable): string {
  const align = table.head.map((_, i) => {
    const filled = table.rows.map((row) => row[i] ?? '').filter((cell) => cell !== '')
    return filled.length > 0 && filled.every((cell) => numeric.test(cell)) ? ' class="num"' : ''
  })
  const head = table.head.map((h, i) => `<th${align[i]}>${escapeMarkup(h)}</th>`).join('')
  const rows = table.rows
    .map((row, r) => {
      const mark = table.rowMarks?.[r]
      const cells = row.map((cell, i) => `<td${align[i]}>${escapeMarkup(cell)}</td>`).join('')
      return `<tr${mark ? ` class="${mark}" title="${mark}"` : ''}>${cells}</tr>`
    })
    .join('\n')
  const notes = table.notes?.length
    ? `\n<ul class="notes">${table.notes.map((n) => `<li>${escapeMarkup(n)}</li>`).join('')}</ul>`
    : ''
  return `<section class="table">\n<h3>${escapeMarkup(table.title)}</h3>\n<div class="scroll"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>${notes}\n</section>`
}

const verdictLabel = { supported: 'supported', 'not supported': 'not supported', mixed: 'mixed' } as const

function renderFinding(finding: Finding): string {
  const verdict = finding.verdict
    ? `<span class="verdict ${finding.verdict.replace(' ', '-')}">${verdictLabel[finding.verdict]}</span> `
    : ''
  const cites = finding.cells.length
    ? ` <span class="cites">— cells: ${finding.cells.map(escapeMarkup).join(', ')}</span>`
    : ''
  return `<li data-topic="${finding.topic}"${finding.verdict ? ` data-verdict="${finding.verdict}"` : ''}>${verdict}${escapeMarkup(finding.text)}${cites}</li>`
}

const style = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 0; background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 24px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: #5a6272; }
dl.facts dd { margin: 0; }
figure { margin: 16px 0 24px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #5a6272; font-size: 13px; max-width: 760px; }
figcaption b { color: #1d2330; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ee; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
ul.notes { color: #5a6272; font-size: 13px; margin: 6px 0 0; padding-left: 20px; }
.warning { color: #8a4b00; }
section.findings ul { padding-left: 20px; margin: 6px 0; }
section.findings li { margin: 4px 0; max-width: 980px; }
section.findings li[data-topic="errors"], section.findings li[data-topic="failed"] { color: #9b1c1c; }
section.findings li[data-topic="suspect"] { color: #8a4b00; }
.cites { color: #5a6272; font-size: 12px; }
.verdict { font-weight: 600; padding: 0 6px; border-radius: 3px; }
.verdict.supported { background: #dcf3e1; color: #14532d; }
.verdict.mixed { background: #fff1c7; color: #713f12; }
.verdict.not-supported { background: #fde2e2; color: #7f1d1d; }
tr.suspect td { background: #fff6db; }
tr.failed td { background: #fde8e8; }
`

/**
 * A report as one self-contained HTML document: the facts (profile, date, machine), every chart as inline SVG
 * in a <figure data-chart>, and every table. No script, font, stylesheet or image is fetched: a
 * Content-Security-Policy forbids it, so the file opens the same from disk, a CI artifact or an e-mail.
 */
export async function renderReportHtml(input: ResultSet | ReportDocument): Promise<string> {
  const { title, facts, findings, warnings, charts, tables } =
    'schemaVersion' in input ? reportDocument(input) : input
  const svgs = await Promise.all(charts.map((chart) => renderVegaSvg(chart.spec)))
  const figures = charts
    .map(
      (chart, i) =>
        `<figure data-chart="${escapeMarkup(chart.name)}">\n${svgs[i]}\n<figcaption><b>${escapeMarkup(chart.title)}.</b> ${escapeMarkup(chart.caption)}</figcaption>\n</figure>`,
    )
    .join('\n')
  const factList = facts
    .map(([label, value]) => `<dt>${escapeMarkup(label)}</dt><dd>${escapeMarkup(value)}</dd>`)
    .join('\n')
  const warningList = warnings.map((w) => `<li class="warning">${escapeMarkup(w)}</li>`)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeMarkup(title)}</h1>
<dl class="facts">
${factList}
</dl>
${findings.length > 0 ? `<section class="findings">\n<h2>Findings</h2>\n<ul>\n${findings.map(renderFinding).join('\n')}\n</ul>\n</section>\n` : ''}${warningList.length > 0 ? `<h2>Warnings</h2>\n<ul>${warningList.join('\n')}</ul>\n` : ''}${charts.length > 0 ? `<h2>Charts</h2>\n${figures}\n` : ''}<h2>Tables</h2>
${tables.map(renderTable).join('\n')}
</main>
</body>
</html>
`
}
