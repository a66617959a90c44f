import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { checkSeedClaims } from '../../src/report/check-seed-claims.js'
import { citeCell } from '../../src/report/cite-cell.js'
import { compareShare } from '../../src/report/compare-share.js'
import { findCapacity } from '../../src/report/find-capacity.js'
import { findFastest } from '../../src/report/find-fastest.js'
import { findLatencyTurns } from '../../src/report/find-latency-turns.js'
import { findProblems } from '../../src/report/find-problems.js'
import { findProxyEffects } from '../../src/report/find-proxy-effects.js'
import { pairProxiedStacks } from '../../src/report/pair-proxied-stacks.js'
import { renderReportHtml } from '../../src/report/render-report-html.js'
import { renderReportMarkdown } from '../../src/report/render-report-markdown.js'
import { reportFindings } from '../../src/report/report-findings.js'
import { resultsTables } from '../../src/report/results-tables.js'
import { runCharts } from '../../src/report/run-charts.js'
import { type ResultSet, resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import type { CellStats } from '../../src/stats/cell-stats-schema.js'
import type { CellRecord } from '../../src/stats/trial-record-schema.js'

/** A real bench run results file: test/fixtures/run-results.yml says how it was made. */
const fixture = resultSetSchema.parse(
  upgradeResultSet(
    JSON.parse(readFileSync(new URL('../../../test/fixtures/run-results.json', import.meta.url), 'utf8')),
  ),
)
const cellOf = (r: ResultSet, stack: string, phase: string, step = 0) =>
  r.cells.find((c) => c.stack === stack && c.phase === phase && c.step === step) as CellRecord & {
    stats: CellStats
  }

/** Every cell a finding cites is a cell of the results. */
function assertCitesExist(results: ResultSet, cells: string[]) {
  const names = new Set(results.cells.map(citeCell))
  for (const cell of cells) assert.ok(names.has(cell), `${cell} is not a cell of the results`)
}

// A synthetic results file, from the fixture's cells: each stack with its processes, each cell with its numbers.
const template = cellOf(fixture, 'node', 'ladder')
interface Numbers {
  reqPerSec: number
  p99: number
  /** Failed requests, percent of all. */
  errorPercent?: number
  appCpu?: number
  slow?: boolean
  suspect?: boolean
}
function cell(stack: string, phase: string, n: Numbers, step = 0, connections = 10): CellRecord {
  const errors = Math.round((n.errorPercent ?? 0) * 100)
  const stats: CellStats = {
    ...template.stats,
    trials: 1,
    reqPerSec: n.reqPerSec,
    reqPerSecTrials: [n.reqPerSec],
    reqPerSecCv: 0,
    latency: { ...template.stats.latency, p99: n.p99 },
    errors: { ...emptyErrorCounts(), timeout: errors },
    errorCount: errors,
    errorPercent: n.errorPercent ?? 0,
    resources: [{ tier: 'app', cpuPercent: n.appCpu ?? 60, peakRssMb: 50 }],
    ...(n.slow
      ? { slowClients: { kind: 'slow-headers', connections: 16, served: 0, held: 16, closed: 0, refused: 0 } }
      : {}),
  }
  return {
    stack,
    phase,
    step,
    loop: 'closed',
    connections,
    pipelining: 1,
    status: 'ok',
    stats,
    verdict: n.suspect
      ? { status: 'suspect', reasons: [{ message: 'generator busy 95 % of the time', fix: 'x' }] }
      : { status: 'ok', reasons: [] },
    failures: [],
  }
}
function synthetic(name: string, stacks: Record<string, string[]>, cells: CellRecord[]): ResultSet {
  return {
    ...fixture,
    profile: { ...fixture.profile, name },
    gate: undefined,
    stackRuns: Object.entries(stacks).map(([stack, processes], i) => ({
      stack,
      trial: 0,
      processes: processes.map((p, j) => ({ name: p, pid: 1000 + i * 10 + j })),
    })),
    cells,
  }
}

describe('findings of a real bench run (test/fixtures/run-results.json)', () => {
  it('the fastest stack per phase, and by how much, from the cells it cites', () => {
    const findings = findFastest(fixture)
    assert.equal(findings.length, 3, 'one per phase')
    const ladder = findings[0]
    const [node10, nginx10] = [
      cellOf(fixture, 'node', 'ladder', 0),
      cellOf(fixture, 'nginx-node', 'ladder', 0),
    ]
    const more = Math.round((node10.stats.reqPerSec / nginx10.stats.reqPerSec - 1) * 100)
    assert.match(
      ladder?.text ?? '',
      /^Phase "ladder": node is the fastest at 2 of 2 steps: at c=10 8,907 req\/s/,
    )
    assert.ok(ladder?.text.includes(`${more} % more than nginx-node (6,168)`), ladder?.text)
    assert.match(ladder?.text ?? '', /nginx-node \(8,888, suspect\)/, 'a suspect cell is said to be one')
    assert.deepEqual(ladder?.cells, [
      'node · ladder c=10',
      'nginx-node · ladder c=10',
      'node · ladder c=50',
      'nginx-node · ladder c=50',
    ])
    // open loop: every stack is offered the same rate, so the lowest p99 leads
    assert.match(findings[1]?.text ?? '', /^Phase "rates": \S+ has the lowest p99/)
    for (const f of reportFindings(fixture)) assertCitesExist(fixture, f.cells)
  })

  it('what the proxy costs: nginx-node against node, step by step', () => {
    assert.deepEqual(pairProxiedStacks(fixture), [{ proxy: 'nginx', proxied: 'nginx-node', direct: 'node' }])
    const [ladder, rates, single] = findProxyEffects(fixture)
    assert.match(
      ladder?.text ?? '',
      /^Phase "ladder": nginx in front of node \(nginx-node vs node\) costs throughput: c=10: 6,168 vs 8,907 req\/s \(31 % less\)/,
    )
    assert.match(rates?.text ?? '', /costs latency at some steps and improves it at others/)
    assert.match(
      single?.text ?? '',
      /costs throughput: 7,407 vs 12,575 req\/s \(41 % less\), p99 5\.59 vs 4\.79 ms\.$/,
    )
  })

  it('where p99 turns up along a ladder, and what throughput did meanwhile', () => {
    const turns = findLatencyTurns(fixture)
    const node = turns.find((f) => f.text.startsWith(`Phase "ladder": node's`))
    assert.match(
      node?.text ?? '',
      /turns up between c=10 and c=50, 6\.64 → 16\.7 ms \(×2\.5\), while req\/s still grew 28 %/,
    )
    assert.deepEqual(node?.cells, ['node · ladder c=10', 'node · ladder c=50'])
    const steady = turns.find((f) => f.text.includes('never doubles'))
    assert.match(steady?.text ?? '', /^Phase "rates": .* for node \(11\.5 → 11\.3 ms\)/)
  })

  it('the suspect cell is a finding, and is marked in its table and chart', () => {
    const suspect = findProblems(fixture).find((f) => f.topic === 'suspect')
    assert.deepEqual(suspect?.cells, ['nginx-node · ladder c=50'])
    assert.match(suspect?.text ?? '', /\(generator busy\)/)
    const table = resultsTables(fixture)[0]
    const marked = table?.rowMarks?.flatMap((m, i) =>
      m ? [[m, table.rows[i]?.[0], table.rows[i]?.[1]]] : [],
    )
    assert.deepEqual(marked, [['suspect', 'nginx-node', '50']])
    const chart = runCharts(fixture).find((c) => c.name === 'throughput:ladder')
    assert.ok(chart)
    const values = (chart.spec.data as { values: { stack: string; x: number; verdict: string }[] }).values
    assert.deepEqual(
      values.filter((v) => v.verdict !== 'ok').map((v) => [v.stack, v.x]),
      [['nginx-node', 50]],
    )
    assert.match(chart?.caption ?? '', /nginx-node · ladder c=50 \(suspect\)/)
    assert.equal(checkSeedClaims(fixture).length, 0, 'report-run tests no seed claim')
  })

  it('the report opens with them: Markdown and HTML', async () => {
    const markdown = renderReportMarkdown(fixture)
    const at = markdown.indexOf('### Findings')
    assert.ok(at > 0 && at < markdown.indexOf('### phase "ladder"'))
    assert.match(markdown, /^- Phase "ladder": node is the fastest .* _\(cells: node · ladder c=10, /m)
    assert.match(markdown, /^\| ⚠️ nginx-node \| 50 \|/m)
    const html = await renderReportHtml(fixture)
    assert.ok(html.indexOf('<h2>Findings</h2>') < html.indexOf('<h2>Charts</h2>'))
    assert.match(
      html,
      /<li data-topic="fastest">Phase &quot;ladder&quot;|<li data-topic="fastest">Phase "ladder"/,
    )
    assert.match(html, /<tr class="suspect" title="suspect"><td>nginx-node<\/td><td class="num">50<\/td>/)
  })
})

const slowStacks = {
  'gunicorn-4': ['app "flask"'],
  'nginx-gunicorn-4': ['app "flask"', 'nginx'],
  node: ['app "node"'],
  'nginx-node': ['app "node"', 'nginx'],
}
/** The table of profiles/slow-clients.yml in docs/scenarios.md, as cells. */
function slowClientsRun(proxiedGunicornUnderSlowloris: Numbers): ResultSet {
  return synthetic('slow-clients', slowStacks, [
    cell('gunicorn-4', 'calm', { reqPerSec: 2031, p99: 13.7 }),
    cell('nginx-gunicorn-4', 'calm', { reqPerSec: 2035, p99: 13.2 }),
    cell('node', 'calm', { reqPerSec: 19_976, p99: 2.3 }),
    cell('nginx-node', 'calm', { reqPerSec: 7475, p99: 5.8 }),
    cell('gunicorn-4', 'slow-senders', { reqPerSec: 0, p99: 0, errorPercent: 100, slow: true }),
    cell('nginx-gunicorn-4', 'slow-senders', { ...proxiedGunicornUnderSlowloris, slow: true }),
    cell('node', 'slow-senders', { reqPerSec: 19_132, p99: 2.0, slow: true }),
    cell('nginx-node', 'slow-senders', { reqPerSec: 8552, p99: 4.8, slow: true }),
  ])
}

describe('seed claims, on results of their profiles', () => {
  it('claim 4 (slow-clients): supported when gunicorn alone is tied up and behind nginx it is not', () => {
    const results = slowClientsRun({ reqPerSec: 2342, p99: 13.6 })
    const [claim] = checkSeedClaims(results)
    assert.equal(claim?.verdict, 'supported')
    assert.match(claim?.text ?? '', /^Claim 4 of the seeds — .*: supported by this run\./)
    assert.match(
      claim?.text ?? '',
      /gunicorn-4 alone is tied up under slow-senders \(0 req\/s, p99 0\.000 ms, 100\.0 % errors\), while nginx-gunicorn-4 is not/,
    )
    assert.match(claim?.text ?? '', /node alone is not tied up .*, nor is nginx-node/)
    assert.deepEqual(claim?.cells, [
      'gunicorn-4 · slow-senders c=10',
      'nginx-gunicorn-4 · slow-senders c=10',
      'node · slow-senders c=10',
      'nginx-node · slow-senders c=10',
    ])
    // and the errors are a finding of their own, with their class
    const errors = findProblems(results).find((f) => f.topic === 'errors')
    assert.match(
      errors?.text ?? '',
      /^Errors: gunicorn-4 in phase "slow-senders" — 100\.0 % of requests failed \(timeout 10,000\)/,
    )
    // the proxy "spares the errors", rather than costing throughput
    const proxy = findProxyEffects(results).find((f) =>
      f.text.startsWith('Phase "slow-senders": nginx in front of gunicorn-4'),
    )
    assert.match(proxy?.text ?? '', /spares the errors gunicorn-4 has alone/)
  })

  it('claim 4: not supported when nginx in front fails as well, or a p99 ten times calm counts as tied up', () => {
    const both = checkSeedClaims(slowClientsRun({ reqPerSec: 10, p99: 1900, errorPercent: 90 }))[0]
    assert.equal(both?.verdict, 'not supported')
    assert.match(both?.text ?? '', /gunicorn-4 alone is tied up, but so is nginx-gunicorn-4/)
    const slow = checkSeedClaims(slowClientsRun({ reqPerSec: 2000, p99: 140 }))[0]
    assert.equal(slow?.verdict, 'not supported', 'p99 140 ms is over 10× its calm 13.2 ms')
  })

  it('claims 1 and 6 (static-and-cache): nginx serving files and its cache, against nginx → gunicorn', () => {
    const stacks = {
      'gunicorn-4': ['app "flask"'],
      'nginx-gunicorn-4': ['app "flask"', 'nginx'],
      'nginx-static': ['app "flask"', 'nginx'],
      'nginx-cache': ['app "flask"', 'nginx'],
    }
    const results = synthetic('static-and-cache', stacks, [
      cell('nginx-gunicorn-4', 'static-asset', { reqPerSec: 2015, p99: 24.7 }),
      cell('nginx-static', 'static-asset', { reqPerSec: 15_903, p99: 5.2, appCpu: 0, suspect: true }),
      cell('nginx-gunicorn-4', 'cacheable', { reqPerSec: 422, p99: 60.1 }),
      cell('nginx-cache', 'cacheable', { reqPerSec: 430, p99: 59, appCpu: 95 }),
    ])
    const [files, cache] = checkSeedClaims(results)
    assert.equal(files?.verdict, 'supported')
    assert.match(
      files?.text ?? '',
      /^Claim 1 .*nginx-static serves 15,903 req\/s \(689 % more than nginx-gunicorn-4's 2,015\), the app at 0 % CPU; the cell is suspect/,
    )
    assert.equal(cache?.verdict, 'not supported', 'no faster, and the app did the work')
    assertCitesExist(results, [...(files?.cells ?? []), ...(cache?.cells ?? [])])
    // nginx-static and nginx-cache add more than a proxy: they are not "the proxy's cost"
    assert.deepEqual(pairProxiedStacks(results), [
      { proxy: 'nginx', proxied: 'nginx-gunicorn-4', direct: 'gunicorn-4' },
    ])
  })

  it('claims 2 and 3 (high-concurrency): balancing two instances, and a worker pool, along the ladder', () => {
    const stacks = {
      node: ['app "node"'],
      'node-cluster-2': ['app "node"'],
      'nginx-node': ['app "node"', 'nginx'],
      'nginx-node-x2': ['app "node" #1', 'app "node" #2', 'nginx'],
      'haproxy-node': ['app "node"', 'haproxy'],
    }
    const ladder = (stack: string, rates: number[], p99s: number[]) =>
      rates.map((r, i) => cell(stack, 'hello', { reqPerSec: r, p99: p99s[i] ?? 1 }, i, [50, 200, 1000][i]))
    const results = synthetic('high-concurrency', stacks, [
      ...ladder('node', [12_237, 14_622, 13_151], [8, 12, 171]),
      ...ladder('node-cluster-2', [10_348, 13_488, 5787], [9, 14, 393]),
      ...ladder('nginx-node', [5398, 7616, 8152], [20, 40, 1389]),
      ...ladder('nginx-node-x2', [9364, 11_763, 8771], [12, 25, 306]),
      ...ladder('haproxy-node', [10_134, 11_572, 7984], [10, 20, 218]),
    ])
    assert.deepEqual(
      pairProxiedStacks(results).map((p) => `${p.proxied}→${p.direct}`),
      ['nginx-node→node', 'haproxy-node→node'],
      'node, not node-cluster-2; nginx-node-x2 runs two instances',
    )
    const [balance, workers] = checkSeedClaims(results)
    assert.equal(balance?.verdict, 'mixed', 'more at c=50 and c=200, within the noise at c=1000')
    assert.match(balance?.text ?? '', /c=50: 9,364 vs 5,398 req\/s \(73 % more\)/)
    assert.equal(workers?.verdict, 'not supported')
    assert.match(workers?.text ?? '', /share 2 cores/)
    const fastest = findFastest(results)[0]
    assert.match(fastest?.text ?? '', /^Phase "hello": node is the fastest at 3 of 3 steps/)
    const turn = findLatencyTurns(results).find((f) => f.text.includes("node's p99"))
    assert.match(
      turn?.text ?? '',
      /between c=200 and c=1000, 12\.0 → 171 ms \(×14\), while req\/s fell \(14,622 → 13,151\): the extra load only queues/,
    )
    for (const f of reportFindings(results)) assertCitesExist(results, f.cells)
  })
})

describe('failed cells', () => {
  it('are a finding, a marked row, and named under the chart they could not be drawn in', () => {
    const failed: CellRecord = {
      ...cellOf(fixture, 'nginx-node', 'single'),
      status: 'failed',
      stats: undefined,
      verdict: undefined,
      failures: [{ message: 'nginx would not start', fix: 'x', logTail: [] }],
    }
    const results = {
      ...fixture,
      cells: fixture.cells.map((c) => (c.stack === 'nginx-node' && c.phase === 'single' ? failed : c)),
    }
    const finding = findProblems(results).find((f) => f.topic === 'failed')
    assert.equal(finding?.text, 'Failed: nginx-node in phase "single" (c=10): nginx would not start.')
    const table = resultsTables(results).find((t) => t.title.startsWith('phase "single"'))
    assert.deepEqual(table?.rowMarks, [undefined, 'failed'])
    const chart = runCharts(results).find((c) => c.name === 'throughput:single')
    assert.match(chart?.caption ?? '', /Not drawn, failed without a measurement: nginx-node · single c=10\./)
    assert.ok(
      !findFastest(results).some((f) => f.text.startsWith('Phase "single"')),
      'one stack left: no race',
    )
  })
})

describe('findings of a capacity results file (test/fixtures/capacity-results.json)', () => {
  const capacity = resultSetSchema.parse(
    upgradeResultSet(
      JSON.parse(
        readFileSync(new URL('../../../test/fixtures/capacity-results.json', import.meta.url), 'utf8'),
      ),
    ),
  )
  it('the most sustained within the SLO (a lower bound said so), the proxy cost, the knee, the sweeps', async () => {
    const findings = findCapacity(capacity)
    assert.deepEqual(
      findings.map((f) => f.topic),
      ['fastest', 'proxy', 'latency', 'scaling', 'scaling'],
    )
    assert.match(
      findings[0]?.text ?? '',
      /^Within the SLO \(p99 ≤ 50 ms, errors ≤ 0\.1 %\), node-cluster-4 sustains the most: ≥ 24,000 req\/s, at least 100 % more than node-direct \(12,000 req\/s\) — a lower bound: the generator could not offer more/,
    )
    assert.equal(
      findings[1]?.text,
      'nginx in front of node-direct (node-nginx) costs sustainable rate: 9,000 req/s against 12,000 req/s (25 % less).',
    )
    assert.match(
      findings[2]?.text ?? '',
      /^flask-gunicorn-4's p99 turns up at 1,500 req\/s \(16\.3 ms\), 86 % of the 1,750/,
    )
    assert.match(
      findings[3]?.text ?? '',
      /^node-cluster: throughput peaks at 3 workers measured \(16,300 req\/s\); the USL fit \(R² 0\.967\) peaks at 3\.3 workers/,
    )
    assert.deepEqual(findings[1]?.cells, ['capacity: node-nginx', 'capacity: node-direct'])
    assert.match(await renderReportHtml(capacity), /<h2>Findings<\/h2>/)
  })
})

describe('compareShare', () => {
  it('says a change as a share, and past ten times as a ratio', () => {
    assert.equal(compareShare(144, 100), '44 % more')
    assert.equal(compareShare(69, 100), '31 % less')
    assert.equal(compareShare(100.01, 100), 'the same')
    assert.equal(compareShare(1383, 0.25), '5,532 times as much')
    assert.equal(compareShare(5, 0), 'more')
  })
})
