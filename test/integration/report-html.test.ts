import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { launchChromium } from '../chromium.js'
import { fixtures, hasStackTrace, repoRoot, runCli, tempDir } from './harness.js'

type Browser = Awaited<ReturnType<typeof launchChromium>>

/** Data marks Vega draws per chart, at least: the fixture's steps (p50 and p99 points), points, bars. */
const minMarks: Record<string, number> = {
  latency: 2 * 37,
  'scaling:node-cluster': 6,
  'scaling:flask-gunicorn': 6,
  'proxy-cost': 2,
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

  it('draws every chart and table, fetches nothing, logs no error', async (t) => {
    const cli = await runCli(['report', results])
    assert.equal(cli.code, 0, cli.stderr)
    const html = join(dir, 'capacity.html')
    assert.equal(cli.stderr.trim(), html)
    assert.ok(existsSync(html))

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
        }
      }),
    )
    assert.deepEqual(
      charts.map((c) => c.name),
      Object.keys(minMarks),
    )
    for (const chart of charts) {
      assert.ok(chart.width > 100 && chart.height > 100, `${chart.name}: ${chart.width}×${chart.height}`)
      assert.ok(chart.marks >= (minMarks[chart.name] ?? 1), `${chart.name}: ${chart.marks} marks`)
      assert.ok(chart.caption.length > 20, `${chart.name} has a caption`)
    }

    const tables = await page.$$eval('table', (all) =>
      all.map((table) => ({
        title: table.closest('section')?.querySelector('h3')?.textContent ?? '',
        rows: table.querySelectorAll('tbody tr').length,
      })),
    )
    assert.equal(tables.length, 9)
    assert.ok(tables.every((table) => table.rows > 0))
    const proxyRow = await page.$$eval('section.table', (sections) =>
      [
        ...(sections
          .find((s) => s.querySelector('h3')?.textContent?.startsWith('Proxy cost'))
          ?.querySelectorAll('td') ?? []),
      ].map((td) => td.textContent),
    )
    assert.deepEqual(proxyRow.slice(0, 5), ['node-direct', 'node-nginx', '12,000', '9,000', '25.0'])
    assert.match((await page.textContent('dl.facts')) ?? '', /SLOp99 ≤ 50 ms, errors ≤ 0\.1 %/)

    assert.deepEqual(problems, [])
    const outside = requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))
    assert.deepEqual(outside, [], 'every request is file: or data:')

    const shot = join(repoRoot, 'test-output/capacity-report.png')
    mkdirSync(join(repoRoot, 'test-output'), { recursive: true })
    writeFileSync(shot, await page.screenshot({ fullPage: true }))
    t.diagnostic(`screenshot: ${shot}`)
    await page.close()
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

  it('results of bench run (no capacity section) → 2', async () => {
    const fixture = JSON.parse(readFileSync(join(fixtures, 'capacity-results.json'), 'utf8'))
    delete fixture.capacity
    const file = join(dir, 'run.json')
    writeFileSync(file, JSON.stringify(fixture))
    const result = await expectFailure(
      ['report', file],
      2,
      /has no capacity section: it was written by bench run; the report needs bench capacity <profile>/,
    )
    assert.ok(!existsSync(join(dir, 'run.html')))
    assert.match(result.stderr, /fix: run bench capacity <profile>/)
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
