import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { capacityCharts } from '../../src/report/capacity-charts.js'
import { capacityTables } from '../../src/report/capacity-tables.js'
import { renderReportHtml } from '../../src/report/render-report-html.js'
import { renderReportMarkdown } from '../../src/report/render-report-markdown.js'
import type { ReportTable } from '../../src/report/report-table.js'
import { type ResultSet, resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'

const fixture = resultSetSchema.parse(
  upgradeResultSet(
    JSON.parse(
      readFileSync(new URL('../../../test/fixtures/capacity-results.json', import.meta.url), 'utf8'),
    ),
  ),
)

/** A deep copy to edit, so no test sees another's changes. */
const copy = (): ResultSet => structuredClone(fixture)

function table(tables: ReportTable[], title: RegExp): ReportTable {
  const found = tables.find((t) => title.test(t.title))
  assert.ok(found, `no table titled ${title} among: ${tables.map((t) => t.title).join(' | ')}`)
  return found
}

/** The cell of the row whose first cell is `first`, in column `head`. */
function cell(t: ReportTable, first: string, head: string): string {
  const row = t.rows.find((r) => r[0] === first)
  assert.ok(row, `no row ${first} in ${t.title}`)
  const column = t.head.indexOf(head)
  assert.ok(column >= 0, `no column ${head} in ${t.title}: ${t.head.join(', ')}`)
  return row[column] ?? ''
}

describe('capacityTables', () => {
  const tables = capacityTables(fixture)

  it('gives, in order: capacity, proxy cost, scaling per stack, USL fit, then the steps of each search', () => {
    assert.deepEqual(
      tables.map((t) => t.title.split(' — ')[0]),
      [
        'Capacity',
        'Proxy cost',
        'Worker scaling',
        'Worker scaling',
        'USL fit',
        'Search steps',
        'Search steps',
        'Search steps',
        'Search steps',
      ],
    )
  })

  it('capacity: max rate, latency and CPU at the max, knee, and machines for the target', () => {
    const t = table(tables, /^Capacity/)
    assert.match(t.title, /p99 ≤ 50 ms, errors ≤ 0\.1 %/)
    assert.match(t.title, /machines for 50,000 req\/s at 70 % of capacity/)
    assert.equal(cell(t, 'node-direct', 'max req/s'), '12,000')
    assert.equal(cell(t, 'node-direct', 'p99 ms'), '33.8')
    assert.equal(cell(t, 'node-direct', 'knee (req/s @ p99)'), '12,000 @ 31.4 ms')
    assert.equal(cell(t, 'node-direct', 'machines'), '6')
    assert.equal(cell(t, 'node-nginx', 'CPU, RSS by tier'), 'app 96% 61MB / nginx 48% 11MB')
    assert.equal(cell(t, 'node-direct', 'CPU, RSS by tier'), 'app 94% 60MB / gen 61%')
    assert.equal(cell(t, 'flask-gunicorn-4', 'machines'), '41')
  })

  it('capacity: a generator-bound stack is a lower bound (≥ rate, ≤ machines), explained in a note', () => {
    const t = table(tables, /^Capacity/)
    assert.equal(cell(t, 'node-cluster-4', 'status'), 'generator-bound')
    assert.equal(cell(t, 'node-cluster-4', 'max req/s'), '≥ 24,000')
    assert.equal(cell(t, 'node-cluster-4', 'machines'), '≤ 3')
    assert.ok(t.notes?.some((n) => n.startsWith('≥:')))
    assert.ok(t.notes?.some((n) => n.startsWith('node-cluster-4: the generator could not offer')))
  })

  it('without a target there is no machines column', () => {
    const results = copy()
    delete results.capacity?.target
    const t = table(capacityTables(results), /^Capacity/)
    assert.ok(!t.head.includes('machines'))
    assert.doesNotMatch(t.title, /machines/)
  })

  it('proxy cost: 1 − 9,000 ÷ 12,000 = 25.0 % for node behind nginx', () => {
    const t = table(tables, /^Proxy cost/)
    assert.deepEqual(t.rows, [['node-direct', 'node-nginx', '12,000', '9,000', '25.0', '0.950', '1.40']])
  })

  it('proxy cost: only the same app with the same workers pairs, and the table is left out without a pair', () => {
    const results = copy()
    const nginx = results.capacity?.searches.find((s) => s.stack === 'node-nginx')
    assert.ok(nginx)
    nginx.topology.workers = 4 // now it would pair with node-cluster-4
    assert.deepEqual(table(capacityTables(results), /^Proxy cost/).rows[0]?.slice(0, 2), [
      'node-cluster-4',
      'node-nginx',
    ])
    nginx.topology.workers = 2 // no direct stack with 2 workers
    assert.ok(!capacityTables(results).some((t) => t.title.startsWith('Proxy cost')))
  })

  it('worker scaling: measured ±CV, signed marginal gain, and the USL model at each count', () => {
    const t = table(tables, /^Worker scaling — flask-gunicorn/)
    assert.deepEqual(t.head, ['workers', 'measured req/s (±CV)', 'marginal req/s', 'USL model req/s'])
    assert.deepEqual(t.rows[0], ['1', '1,480 ±1.8%', '', '1,588'])
    assert.deepEqual(t.rows[4], ['6', '3,460 ±14.0%', '-40', '3,532'])
    assert.equal(t.rows[1]?.[2], '+1,330')
  })

  it('USL fit: parameters ± standard errors, N*, efficient and recommended N; warnings as notes', () => {
    const t = table(tables, /^USL fit/)
    assert.equal(cell(t, 'node-cluster', 'σ'), '0.121 ± 0.089')
    assert.equal(cell(t, 'node-cluster', 'λ req/s'), '9,536 ± 576')
    assert.equal(cell(t, 'node-cluster', 'N*'), '3.3')
    assert.equal(cell(t, 'node-cluster', 'X(N*) req/s'), '16,609')
    assert.equal(cell(t, 'flask-gunicorn', 'κ'), '0.0402 ± 0.00544')
    assert.equal(cell(t, 'flask-gunicorn', 'recommended N'), '4 × 20 machines')
    assert.ok(
      t.notes?.includes(
        'flask-gunicorn: warning: the point at 6 workers varied 14 % across trials (CV): the fit leans on a noisy point',
      ),
    )
  })

  it('search steps: every step, in the order run, with its reasons', () => {
    const t = table(tables, /^Search steps — node-direct/)
    assert.equal(t.rows.length, 10)
    assert.deepEqual(t.rows[4], [
      '16,000',
      'double',
      'fail',
      '12,900',
      '310',
      '1,450',
      '0',
      'p99 1450 ms > SLO 50 ms; achieved 12,900 req/s < 95 % of offered',
    ])
  })

  it('without scaling there are no scaling or USL tables; without capacity, no tables at all', () => {
    const results = copy()
    if (results.capacity) results.capacity.scaling = []
    const titles = capacityTables(results).map((t) => t.title)
    assert.ok(!titles.some((t) => /scaling|USL/.test(t)), titles.join(' | '))
    delete results.capacity
    assert.deepEqual(capacityTables(results), [])
  })
})

describe('capacityCharts', () => {
  it('latency, one scaling chart per swept stack, and proxy cost', () => {
    assert.deepEqual(
      capacityCharts(fixture).map((c) => c.name),
      ['latency', 'scaling:node-cluster', 'scaling:flask-gunicorn', 'proxy-cost'],
    )
  })

  it('the latency chart plots p50 and p99 of every step, a line through each rate, and the SLO rule', () => {
    const chart = capacityCharts(fixture).find((c) => c.name === 'latency')
    const json = JSON.stringify(chart?.spec)
    const searches = fixture.capacity?.searches ?? []
    const steps = searches.reduce((n, s) => n + s.steps.length, 0)
    // a point per step, and the line through one point per stack and rate
    const rates = searches.reduce((n, s) => n + new Set(s.steps.map((step) => step.rate)).size, 0)
    assert.ok(rates < steps, 'the fixture repeats a rate (a confirmation)')
    assert.equal((json.match(/"percentile":"p99"/g) ?? []).length, steps + rates)
    assert.match(json, /"label":"SLO p99 50 ms"/)
  })

  it('charts whose data is absent are left out', () => {
    const results = copy()
    if (results.capacity) results.capacity.scaling = []
    for (const s of results.capacity?.searches ?? []) s.topology.proxy = null
    assert.deepEqual(
      capacityCharts(results).map((c) => c.name),
      ['latency'],
    )
  })
})

describe('renderReportMarkdown', () => {
  const markdown = renderReportMarkdown(fixture)

  it('has the facts, a heading per table and GitHub table rows', () => {
    assert.match(markdown, /^## Capacity report: capacity-node-flask$/m)
    assert.match(markdown, /^- \*\*SLO:\*\* p99 ≤ 50 ms, errors ≤ 0\.1 %$/m)
    assert.match(
      markdown,
      /^- \*\*search:\*\* from 1,000 req\/s, doubling up to 100,000 req\/s, then bisecting to 5 %$/m,
    )
    assert.match(
      markdown,
      /^- \*\*CPU:\*\* Intel\(R\) Xeon\(R\) Platinum 8370C CPU @ 2\.80GHz, 2 cores, 7\.8 GiB$/m,
    )
    assert.match(
      markdown,
      /^- \*\*versions:\*\* nginx 1\.22\.1, haproxy 2\.6\.12, gunicorn 20\.1\.0, wrk not found$/m,
    )
    assert.match(markdown, /^### Proxy cost/m)
    assert.match(
      markdown,
      /^\| node-direct \| node-nginx \| 12,000 \| 9,000 \| 25\.0 \| 0\.950 \| 1\.40 \|$/m,
    )
    assert.match(markdown, /Charts .* are in the HTML report/)
  })

  it('escapes | in cells so a stack name cannot break the table', () => {
    const results = copy()
    const search = results.capacity?.searches[0]
    assert.ok(search)
    search.stack = 'a|b'
    const text = renderReportMarkdown(results)
    assert.match(text, /^\| a\\\|b \| found \| 12,000 \|/m)
  })
})

describe('renderReportHtml', () => {
  it('escapes every text it puts in the page', async () => {
    const results = copy()
    results.profile.name = '<script>alert(1)</script>'
    const search = results.capacity?.searches[0]
    assert.ok(search)
    search.note = 'p99 < 50 ms & "quoted"'
    const html = await renderReportHtml(results)
    assert.ok(!html.includes('<script>'))
    assert.match(html, /<title>Capacity report: &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/)
    assert.match(html, /p99 &lt; 50 ms &amp; &quot;quoted&quot;/)
  })

  it('is self-contained: no src, href or url() that would fetch anything', async () => {
    const html = await renderReportHtml(fixture)
    assert.doesNotMatch(html, /\s(?:src|href)=|url\(|@import|<script|<link/i)
    assert.equal((html.match(/<figure data-chart=/g) ?? []).length, 4)
    assert.equal((html.match(/<table>/g) ?? []).length, 9)
  })
})
