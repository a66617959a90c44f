import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { renderReportHtml } from '../../src/report/render-report-html.js'
import { renderReportMarkdown } from '../../src/report/render-report-markdown.js'
import { renderResultsTable } from '../../src/report/render-results-table.js'
import { resultsTables } from '../../src/report/results-tables.js'
import { runCharts } from '../../src/report/run-charts.js'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'
import { measuredMs } from '../measured-ms.js'

/** A real bench run results file: test/fixtures/run-results.yml says how it was made. */
const fixture = resultSetSchema.parse(
  upgradeResultSet(
    JSON.parse(readFileSync(new URL('../../../test/fixtures/run-results.json', import.meta.url), 'utf8')),
  ),
)

/** The values a chart plots, whether on the chart itself or on its first layer. */
const valuesOf = (spec: Record<string, unknown>) =>
  (spec.data as { values: Record<string, unknown>[] }).values

describe('bench report of a bench run results file', () => {
  const charts = runCharts(fixture)

  it('charts throughput and latency of each phase: lines along a ladder of steps, bars for one step', () => {
    assert.deepEqual(
      charts.map((c) => c.name),
      [
        'throughput:ladder',
        'latency:ladder',
        'throughput:rates',
        'latency:rates',
        'throughput:single',
        'latency:single',
      ],
    )
    const spec = (name: string) => charts.find((c) => c.name === name)?.spec ?? {}
    const layers = (name: string) => spec(name).layer as { mark: { type: string } }[]
    assert.deepEqual(
      layers('throughput:ladder').map((l) => l.mark.type),
      ['line', 'point'],
    )
    assert.equal(layers('throughput:single')[0]?.mark.type, 'bar')
  })

  it('plots what the tables say: median req/s, and open-loop latency from the intended send', () => {
    const cell = fixture.cells.find((c) => c.phase === 'rates' && c.stack === 'node' && c.step === 1)
    assert.ok(cell?.stats?.open && cell.rate)
    const { stats, rate } = cell
    const open = stats.open
    assert.ok(open)
    const throughput = valuesOf(charts.find((c) => c.name === 'throughput:rates')?.spec ?? {})
    assert.deepEqual(
      throughput.find((v) => v.stack === 'node' && v.x === rate.to)?.reqPerSec,
      stats.reqPerSec,
    )
    const latency = valuesOf(charts.find((c) => c.name === 'latency:rates')?.spec ?? {})
    const p99 = latency.find((v) => v.stack === 'node' && v.x === rate.to && v.percentile === 'p99')
    assert.equal(p99?.ms, Math.max(0.001, measuredMs(open.corrected.p99)))
    assert.notEqual(open.corrected.p99, stats.latency.p99, 'the corrected p99 is the one plotted')
  })

  it('Markdown: the facts, a table per phase as bench run prints it, and the gate', () => {
    const markdown = renderReportMarkdown(fixture)
    assert.match(markdown, /^## Benchmark report: report-run$/m)
    assert.match(markdown, /^- \*\*profile:\*\* report-run /m)
    for (const table of resultsTables(fixture)) {
      assert.ok(markdown.includes(`### ${table.title}`), table.title)
      // the terminal shows the same table under the same title
      assert.ok(renderResultsTable(fixture).includes(table.title))
      // a suspect row is marked on its stack
      for (const [r, row] of table.rows.entries()) {
        const mark = table.rowMarks?.[r] === 'suspect' ? '⚠️ ' : ''
        assert.ok(markdown.includes(`| ${mark}${row.join(' | ')} |`), row.join(' | '))
      }
    }
    assert.match(markdown, /^### gate: nginx-node against node$/m)
    assert.match(markdown, /^- gate verdict: (PASS|REGRESSION|INCONCLUSIVE)$/m)
    assert.match(markdown, /Charts \(throughput and latency of every stack at every step, per phase\)/)
  })

  it('HTML: a figure per chart and a table per phase plus the gate, all self-contained', async () => {
    const html = await renderReportHtml(fixture)
    assert.match(html, /<title>Benchmark report: report-run<\/title>/)
    assert.equal((html.match(/<figure data-chart=/g) ?? []).length, 6)
    assert.equal((html.match(/<table>/g) ?? []).length, 4)
    assert.doesNotMatch(html, /\s(?:src|href)=|url\(|@import|<script|<link/i)
  })
})
