import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeErrors } from '../../src/report/describe-errors.js'
import { formatInteger, formatMs, formatPercent } from '../../src/report/format-number.js'
import { renderResultsTable } from '../../src/report/render-results-table.js'
import type { ResultSet } from '../../src/results/results-file-schema.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import type { ErrorCounts } from '../../src/samples/sample-schemas.js'
import type { CellStats } from '../../src/stats/cell-stats-schema.js'
import type { CellRecord } from '../../src/stats/trial-record-schema.js'

describe('formatInteger', () => {
  it('groups thousands with commas', () => {
    assert.equal(formatInteger(1_234_567), '1,234,567')
    assert.equal(formatInteger(1000), '1,000')
    assert.equal(formatInteger(999), '999')
    assert.equal(formatInteger(0), '0')
  })

  it('rounds to the nearest whole number first', () => {
    assert.equal(formatInteger(1_234_567.89), '1,234,568')
    assert.equal(formatInteger(999.5), '1,000')
    assert.equal(formatInteger(0.4), '0')
  })
})

describe('formatMs', () => {
  it('shows three significant figures: 0.123, 4.56, 78.9, 1,234', () => {
    assert.equal(formatMs(0.1234), '0.123')
    assert.equal(formatMs(4.5612), '4.56')
    assert.equal(formatMs(78.91), '78.9')
    assert.equal(formatMs(1234.4), '1,234')
  })

  it('switches precision exactly at 1, 10 and 100 ms', () => {
    assert.equal(formatMs(0.999), '0.999')
    assert.equal(formatMs(1), '1.00')
    assert.equal(formatMs(9.99), '9.99')
    assert.equal(formatMs(10), '10.0')
    assert.equal(formatMs(99.9), '99.9')
    assert.equal(formatMs(100), '100')
  })

  it('shows no figure, a dash, where nothing was measured (null)', () => {
    assert.equal(formatMs(null), '—')
  })

  it('shows zero and sub-microsecond values as 0.000', () => {
    assert.equal(formatMs(0), '0.000')
    assert.equal(formatMs(0.0004), '0.000')
  })

  it('keeps three significant figures when rounding crosses a boundary (99.96 → 100, not 100.0)', {}, () => {
    assert.equal(formatMs(99.96), '100')
    assert.equal(formatMs(9.999), '10.0')
    assert.equal(formatMs(0.9999), '1.00')
  })
})

describe('formatPercent (of a percent)', () => {
  it('shows no error as a bare 0', () => {
    assert.equal(formatPercent(0), '0')
  })

  it('keeps two significant figures below 10 %, so rare errors stay visible', () => {
    assert.equal(formatPercent(0.012), '0.012')
    assert.equal(formatPercent(0.1), '0.10')
    assert.equal(formatPercent(5), '5.0')
    assert.equal(formatPercent(1.23), '1.2')
  })

  it('shows one decimal from 10 % up', () => {
    assert.equal(formatPercent(10), '10.0')
    assert.equal(formatPercent(25), '25.0')
    assert.equal(formatPercent(100), '100.0')
  })
})

describe('describeErrors', () => {
  const none: ErrorCounts = { ...emptyErrorCounts() }

  it('is empty when there were no errors', () => {
    assert.equal(describeErrors(none), '')
  })

  it('lists the non-zero classes, then each status with its count', () => {
    assert.equal(
      describeErrors({
        ...emptyErrorCounts(),
        connect: 12,
        reset: 3,
        other: 1,
        status: { '502': 3401, '404': 1 },
      }),
      'connect 12, reset 3, other 1, 404×1, 502×3,401',
    )
  })

  it('names the timeout class and needs no status', () => {
    assert.equal(describeErrors({ ...none, timeout: 1500 }), 'timeout 1,500')
  })
})

// ---------------------------------------------------------------------------------------------------------------

function stats(fields: Partial<CellStats> = {}): CellStats {
  return {
    trials: 1,
    reqPerSec: 12_345.6,
    reqPerSecTrials: [12_345.6],
    reqPerSecCv: 0,
    bytesPerSec: 2_500_000,
    latency: { count: 1000, p50: 1.2345, p90: 4.567, p99: 12.34, p999: 56.78, max: 123.4, mean: 2 },
    successes: 1000,
    errors: { ...emptyErrorCounts() },
    errorCount: 0,
    errorPercent: 0,
    resources: [],
    ...fields,
  }
}

function cell(stack: string, phase: string, step: number, fields: Partial<CellRecord> = {}): CellRecord {
  return {
    stack,
    phase,
    step,
    connections: [50, 200, 1000][step] ?? 1,
    pipelining: 1,
    loop: 'closed',
    status: 'ok',
    stats: stats(),
    failures: [],
    ...fields,
  }
}

/** renderResultsTable reads only the cells. */
function resultsWith(cells: CellRecord[]): ResultSet {
  return { cells } as Pick<ResultSet, 'cells'> as ResultSet
}

/** Output → one section per phase: its title and its rows keyed by column header. */
function parseTables(text: string): { title: string; headers: string[]; rows: Record<string, string>[] }[] {
  return text.split('\n\n').map((section) => {
    const [title = '', ...lines] = section.split('\n')
    const cells = lines
      .filter((line) => line.startsWith('│'))
      .map((line) =>
        line
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      )
    const [headers = [], ...rows] = cells
    return {
      title,
      headers,
      rows: rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']))),
    }
  })
}

describe('renderResultsTable', () => {
  it('shows a dash, not 0.000, for the latency of a cell where every request failed', () => {
    const none = { count: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null }
    const failing = stats({
      reqPerSec: 0,
      reqPerSecTrials: [0],
      latency: none,
      successes: 0,
      errors: { ...emptyErrorCounts(), status: { '404': 4118 } },
      errorCount: 4118,
      errorPercent: 100,
    })
    const [table] = parseTables(renderResultsTable(resultsWith([cell('url', 'url', 0, { stats: failing })])))
    const row = table?.rows[0] ?? {}
    for (const column of ['p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'])
      assert.equal(row[column], '—', column)
    assert.equal(row['errors %'], '100.0')
  })

  it('prints one table per phase, in first-seen order, each with only its cells', () => {
    const tables = parseTables(
      renderResultsTable(
        resultsWith([
          cell('node', 'hello', 0),
          cell('node', 'json', 0, { connections: 7 }),
          cell('nginx-node', 'hello', 0),
          cell('nginx-node', 'json', 0, { connections: 7 }),
        ]),
      ),
    )
    assert.deepEqual(
      tables.map((t) => t.title),
      ['phase "hello" — closed loop, 1 trial', 'phase "json" — closed loop, 1 trial'],
    )
    assert.deepEqual(
      tables.map((t) => t.rows.map((r) => `${r.stack}@${r.conns}`)),
      [
        ['node@50', 'nginx-node@50'],
        ['node@7', 'nginx-node@7'],
      ],
    )
  })

  it('names the unit of every measured column in its header', () => {
    const [table] = parseTables(
      renderResultsTable(resultsWith([cell('node', 'hello', 0, { startupMs: 100 })])),
    )
    for (const header of [
      'req/s',
      'MB/s',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'errors %',
      'startup ms',
    ]) {
      assert.ok(
        table?.headers.includes(header),
        `missing header "${header}" in ${JSON.stringify(table?.headers)}`,
      )
    }
  })

  it('formats each column of a row', () => {
    const [table] = parseTables(
      renderResultsTable(
        resultsWith([
          cell('node', 'hello', 0, {
            startupMs: 812.4,
            stats: stats({
              errors: { ...emptyErrorCounts(), connect: 2, status: { '503': 1 } },
              errorCount: 3,
              errorPercent: 0.024,
              resources: [
                { tier: 'nginx', cpuPercent: 38.4, peakRssMb: 12 },
                { tier: 'app', cpuPercent: 95.6, peakRssMb: 60 },
              ],
              generator: { threads: 1, cpuPercent: 61.2, eventLoopUtilization: 0.7 },
            }),
            verdict: { status: 'ok', reasons: [] },
          }),
        ]),
      ),
    )
    assert.deepEqual(table?.rows[0], {
      stack: 'node',
      conns: '50',
      'req/s': '12,346',
      'MB/s': '2.50', // 2.5 million bytes per second
      'p50 ms': '1.23',
      'p90 ms': '4.57',
      'p99 ms': '12.3',
      'p99.9 ms': '56.8',
      'max ms': '123',
      'errors %': '0.024',
      'error detail': 'connect 2, 503×1',
      'CPU, RSS by tier': 'nginx 38% 12MB / app 96% 60MB / gen 61%',
      'startup ms': '812',
      verdict: 'ok',
    })
  })

  it('orders rows by ladder step, then by stack in first-seen order', () => {
    const [table] = parseTables(
      renderResultsTable(
        resultsWith([
          cell('b', 'ladder', 1),
          cell('a', 'ladder', 0),
          cell('a', 'ladder', 1),
          cell('b', 'ladder', 0),
        ]),
      ),
    )
    assert.deepEqual(
      table?.rows.map((r) => `${r.stack}@${r.conns}`),
      ['b@50', 'a@50', 'b@200', 'a@200'],
    )
  })

  it('shows the median ± CV and says so in the title when there are several trials', () => {
    const [table] = parseTables(
      renderResultsTable(
        resultsWith([cell('node', 'hello', 0, { stats: stats({ trials: 3, reqPerSecCv: 0.034 }) })]),
      ),
    )
    assert.equal(table?.title, 'phase "hello" — closed loop, 3 trials (req/s: median ±CV)')
    assert.equal(table?.rows[0]?.['req/s'], '12,346 ±3.4%')
  })

  it('shows a cell without measurements as FAILED with the failure message', () => {
    const failure = {
      message: 'nginx exited during phase "hello" (code 1)',
      fix: 'see its output',
      logTail: [],
    }
    const [table] = parseTables(
      renderResultsTable(
        resultsWith([
          cell('node', 'hello', 0),
          cell('nginx-node', 'hello', 0, { status: 'failed', stats: undefined, failures: [failure] }),
        ]),
      ),
    )
    const failed = table?.rows.find((r) => r.stack === 'nginx-node')
    assert.equal(failed?.['req/s'], 'FAILED')
    assert.equal(failed?.['error detail'], failure.message)
    assert.equal(failed?.['p50 ms'], '')
    assert.equal(
      table?.rows.find((r) => r.stack === 'node')?.['req/s'],
      '12,346',
      'the healthy row is untouched',
    )
  })

  it('marks a failed cell that still has measurements as FAILED in its verdict, keeping its numbers', () => {
    const failure = { message: 'app exited', fix: 'see its output', logTail: [] }
    const [table] = parseTables(
      renderResultsTable(resultsWith([cell('node', 'hello', 0, { status: 'failed', failures: [failure] })])),
    )
    assert.equal(table?.rows[0]?.['req/s'], '12,346')
    assert.equal(table?.rows[0]?.verdict, 'FAILED')
    assert.equal(table?.rows[0]?.['p50 ms'], '1.23')
  })
})
