import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { openHistory } from '../../src/history/open-history.js'
import { historyRunOf } from '../../src/history-analysis/history-run-of.js'
import { assertEvery } from '../assert-every.js'
import { launchChromium } from '../chromium.js'
import { syntheticResults } from '../synthetic-results.js'
import { fixtures, hasStackTrace, repoRoot, runCli, tempDir } from './harness.js'

type Browser = Awaited<ReturnType<typeof launchChromium>>

/** Data marks Vega draws per chart, at least: the fixture's steps (p50 and p99 points), points, bars. */
const capacityMarks: Record<string, number> = {
  latency: 2 * 37,
  'scaling:node-cluster': 6,
  'scaling:flask-gunicorn': 6,
  'proxy-cost': 2,
}

/** test/fixtures/run-results.json: two stacks; ladders of two steps (a point per stack per step and percentile), and one step (a bar per stack and percentile). */
const runMarks: Record<string, number> = {
  'throughput:ladder': 2 * 2,
  'latency:ladder': 2 * 2 * 2,
  'throughput:rates': 2 * 2,
  'latency:rates': 2 * 2 * 2,
  'throughput:single': 2,
  'latency:single': 2 * 2,
}

describe('bench report --format html, opened in headless Chromium', () => {
  let browser: Browser | undefined
  const dir = tempDir()
  const results = join(dir, 'capacity.json')
  copyFileSync(join(fixtures, 'capacity-results.json'), results)

  before(async () => {
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
  })

  /** Opens a report in Chromium: its charts and tables as drawn, what it logged and what it fetched. */
  async function open(html: string) {
    assert.ok(browser)
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' })
    const charts = await page.$$eval('figure[data-chart]', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg')
        const box = svg?.getBoundingClientRect()
        return {
          name: f.getAttribute('data-chart') ?? '',
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          // Vega's data marks (not axes, grids or legends), drawn as path or line elements
          marks: f.querySelectorAll('[class~="role-mark"] > path, [class~="role-mark"] > line').length,
          caption: f.querySelector('figcaption')?.textContent ?? '',
          // the words of each legend (its labels and its title), and of the x axis
          legends: [...f.querySelectorAll('[class~="role-legend"]')].map((legend) =>
            [...legend.querySelectorAll('text')].map((t) => t.textContent ?? ''),
          ),
          xLabels: [
            ...(f.querySelector('[class~="role-axis"][aria-label^="X-axis"]')?.querySelectorAll('text') ??
              []),
          ].map((t) => t.textContent ?? ''),
        }
      }),
    )
    const tables = await page.$$eval('table', (all) =>
      all.map((table) => ({
        title: table.closest('section')?.querySelector('h3')?.textContent ?? '',
        rows: table.querySelectorAll('tbody tr').length,
      })),
    )
    return { page, charts, tables, problems, requests }
  }

  /** Every chart drawn with at least its data marks, every table filled, nothing fetched, nothing logged. */
  function assertDrawn(report: Awaited<ReturnType<typeof open>>, minMarks: Record<string, number>) {
    const { charts, tables, problems, requests } = report
    assert.deepEqual(
      charts.map((c) => c.name),
      Object.keys(minMarks),
    )
    for (const chart of charts) {
      assert.ok(chart.width > 100 && chart.height > 100, `${chart.name}: ${chart.width}×${chart.height}`)
      assert.ok(chart.marks >= (minMarks[chart.name] ?? 1), `${chart.name}: ${chart.marks} marks`)
      assert.ok(chart.caption.length > 20, `${chart.name} has a caption`)
    }
    assertEvery(tables, (table) => table.rows > 0, 'every table has rows')
    assert.deepEqual(problems, [])
    const outside = requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))
    assert.deepEqual(outside, [], 'every request is file: or data:')
  }

  async function screenshot(page: Awaited<ReturnType<typeof open>>['page'], name: string) {
    const shot = join(repoRoot, 'test-output', name)
    mkdirSync(join(repoRoot, 'test-output'), { recursive: true })
    writeFileSync(shot, await page.screenshot({ fullPage: true }))
    await page.close()
    return shot
  }

  it('draws every chart and table, fetches nothing, logs no error', async (t) => {
    const cli = await runCli(['report', results])
    assert.equal(cli.code, 0, cli.stderr)
    const html = join(dir, 'capacity.html')
    assert.equal(cli.stderr.trim(), html)
    assert.ok(existsSync(html))

    const report = await open(html)
    assertDrawn(report, capacityMarks)
    assert.equal(report.tables.length, 9)
    const proxyRow = await report.page.$$eval('section.table', (sections) =>
      [
        ...(sections
          .find((s) => s.querySelector('h3')?.textContent?.startsWith('Proxy cost'))
          ?.querySelectorAll('td') ?? []),
      ].map((td) => td.textContent),
    )
    assert.deepEqual(proxyRow.slice(0, 5), ['node-direct', 'node-nginx', '12,000', '9,000', '25.0'])
    assert.match((await report.page.textContent('dl.facts')) ?? '', /SLOp99 ≤ 50 ms, errors ≤ 0\.1 %/)
    // it opens with findings: the most sustained within the SLO, the proxy's cost
    const findings = await report.page.$$eval('section.findings li', (items) =>
      items.map((li) => li.textContent ?? ''),
    )
    assert.match(findings[0] ?? '', /^Within the SLO .*node-cluster-4 sustains the most/)
    assert.ok(
      findings.some((f) => /nginx in front of node-direct \(node-nginx\) costs sustainable rate/.test(f)),
    )
    t.diagnostic(`screenshot: ${await screenshot(report.page, 'capacity-report.png')}`)
  })

  it('reports a bench run results file too: throughput and latency per phase, the tables, the gate', async (t) => {
    const run = join(dir, 'run.json')
    copyFileSync(join(fixtures, 'run-results.json'), run)
    const cli = await runCli(['report', run])
    assert.equal(cli.code, 0, cli.stderr)
    assert.equal(cli.stderr.trim(), join(dir, 'run.html'), 'the path, and no warning from Vega')
    const report = await open(join(dir, 'run.html'))
    // two stacks: a line and a point per stack per step (ladders), a bar per stack (single steps)
    assertDrawn(report, runMarks)
    assert.deepEqual(
      report.tables.map((table) => table.title),
      [
        'phase "ladder" — closed loop, 2 trials (req/s: median ±CV)',
        'phase "rates" — open loop, latency from the intended send (corrected), 2 trials (req/s: median ±CV)',
        'phase "single" — closed loop, 2 trials (req/s: median ±CV)',
        'gate: nginx-node against node',
      ],
    )
    assert.match((await report.page.textContent('h1')) ?? '', /^Benchmark report: report-run$/)
    // it opens with findings in words, each citing its cells, before the charts
    const findings = await report.page.$$eval('section.findings li', (items) =>
      items.map((li) => ({ topic: li.getAttribute('data-topic'), text: li.textContent ?? '' })),
    )
    assert.ok(findings.length >= 5, JSON.stringify(findings))
    const order = await report.page.$$eval('h2', (hs) => hs.map((h) => h.textContent))
    assert.equal(order[0], 'Findings')
    assert.ok(
      findings.some((f) => f.topic === 'fastest' && /^Phase "ladder": node is the fastest/.test(f.text)),
    )
    assert.ok(findings.some((f) => f.topic === 'proxy' && /nginx in front of node/.test(f.text)))
    assert.ok(
      findings.every((f) => /— cells: \S+ · /.test(f.text)),
      'every finding cites its cells',
    )
    // the suspect cell is marked in its table and in its phase's charts
    const marked = await report.page.$$eval('tr.suspect', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent).slice(0, 2)),
    )
    assert.deepEqual(marked, [['nginx-node', '50']])
    // every chart names every stack: a legend titled "stack" (lines), or the x axis under the bars (one step)
    for (const chart of report.charts) {
      const stackLegend = chart.legends.find((words) => words.at(-1) === 'stack')
      const names = chart.name.endsWith(':single') && !stackLegend ? chart.xLabels : stackLegend
      assert.deepEqual(
        [...(names ?? [])].filter((w) => w !== 'stack').sort(),
        ['nginx-node', 'node'],
        `${chart.name}: legends ${JSON.stringify(chart.legends)}, x axis ${JSON.stringify(chart.xLabels)}`,
      )
    }
    const ladder = report.charts.find((c) => c.name === 'throughput:ladder')
    assert.match(ladder?.caption ?? '', /Marked .*: nginx-node · ladder c=50 \(suspect\)/)
    t.diagnostic(`screenshot: ${await screenshot(report.page, 'run-report.png')}`)
  })

  it('reports a history: a chart per metric with the change point marked, the change points, every run', async (t) => {
    // 12 runs of two cells; from run 9 on, node serves 20 % fewer req/s at 25 % more latency
    const db = join(dir, 'history.sqlite')
    const store = await openHistory(db, 'write')
    for (let run = 1; run <= 12; run++) {
      const slower = run >= 9 ? 1.25 : 1
      const results = syntheticResults(run, {
        node: { reqPerSec: 10_000 / slower, p50Ms: 5 * slower },
        'nginx-node': { reqPerSec: 8_000, p50Ms: 6 },
      })
      await store.addRun(historyRunOf(results, { branch: 'main' }))
    }
    await store.close()
    const cli = await runCli(['report', '--history', db])
    assert.equal(cli.code, 0, cli.stderr)
    assert.equal(cli.stderr.trim(), join(dir, 'history.html'))
    const report = await open(join(dir, 'history.html'))
    // per chart: a point per run per cell (24), the two lines, and the rule of the change point
    assertDrawn(report, {
      'history:reqPerSec': 24 + 2 + 1,
      'history:p50': 24 + 2 + 1,
      'history:p99': 24 + 2 + 1,
    })
    const rules = await report.page.$$eval(
      'figure[data-chart] g.mark-rule.role-mark line',
      (lines) => lines.length,
    )
    assert.equal(rules, 3, 'one change point rule per metric')
    assert.deepEqual(
      report.tables.map((table) => [table.title, table.rows]),
      [
        ['change points', 3],
        ["node / hello / c=50: the median of each run's trials", 12],
        ["nginx-node / hello / c=50: the median of each run's trials", 12],
      ],
    )
    // the first table (the findings section comes before the tables)
    const firstChange = await report.page.$eval('section.table', (table) =>
      [...table.querySelectorAll('tbody tr:first-child td')].map((td) => td.textContent),
    )
    assert.deepEqual(firstChange.slice(0, 4), ['node / hello / c=50', 'req/s', '9', 'commit9'])
    assert.equal(firstChange.at(-1), 'regression')
    t.diagnostic(`screenshot: ${await screenshot(report.page, 'history-report.png')}`)
  })

  it('--format md writes Markdown beside the results', async () => {
    const cli = await runCli(['report', results, '--format', 'md'])
    assert.equal(cli.code, 0, cli.stderr)
    const markdown = readFileSync(join(dir, 'capacity.md'), 'utf8')
    assert.match(markdown, /^## Capacity report: capacity-node-flask$/m)
    assert.match(markdown, /^### USL fit/m)
  })
})

describe('bench report refuses what it cannot report, with one clear message', () => {
  const dir = tempDir()

  async function expectFailure(args: string[], code: number, cause: RegExp) {
    const result = await runCli(args)
    assert.equal(result.code, code, `exit code; stderr:\n${result.stderr}`)
    assert.match(result.stderr, cause)
    assert.match(result.stderr, /fix: /)
    assert.equal(result.stderr.match(/^bench: /gm)?.length, 1, result.stderr)
    assert.ok(!hasStackTrace(result.stderr), `stack trace in:\n${result.stderr}`)
    return result
  }

  it('no history at --history, or a results file and --history both → 2', async () => {
    await expectFailure(
      ['report', '--history', join(dir, 'none.sqlite')],
      2,
      /there is no history at .*none\.sqlite/,
    )
    await expectFailure(
      ['report', 'x.json', '--history', 'y.sqlite'],
      2,
      /give a results file or --history, not both/,
    )
    await expectFailure(['report'], 2, /name what to report on/)
  })

  it('a results file with no measurement → 2, and no report written', async () => {
    const fixture = JSON.parse(readFileSync(join(fixtures, 'run-results.json'), 'utf8'))
    fixture.cells = []
    fixture.status = 'interrupted'
    const file = join(dir, 'empty.json')
    writeFileSync(file, JSON.stringify(fixture))
    const result = await expectFailure(
      ['report', file],
      2,
      /holds no measurement: the run was interrupted before its first step was measured/,
    )
    assert.ok(!existsSync(join(dir, 'empty.html')))
    assert.match(result.stderr, /fix: report on a results file with at least one measured step/)
  })

  it('a missing file → 2; not a results file → 2; an unknown format → 2', async () => {
    await expectFailure(
      ['report', join(dir, 'nope.json')],
      2,
      /cannot read the results file .*nope\.json: no such file/,
    )
    const other = join(dir, 'other.json')
    writeFileSync(other, '{"hello": 1}')
    await expectFailure(['report', other], 2, /is not a bench results file \(it has no schemaVersion\)/)
    await expectFailure(['report', other, '--format', 'pdf'], 2, /Invalid values:/)
  })

  it('an unwritable --out → 3', async () => {
    const results = join(dir, 'capacity.json')
    copyFileSync(join(fixtures, 'capacity-results.json'), results)
    // a path under a regular file cannot be created, even as root
    await expectFailure(
      ['report', results, '--out', join(results, 'report.html')],
      3,
      /cannot write the report .*report\.html: a part of the path is a file/,
    )
  })
})
