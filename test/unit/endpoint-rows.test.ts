import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { renderReportMarkdown } from '../../src/report/render-report-markdown.js'
import { resultsTables } from '../../src/report/results-tables.js'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import { mergeSamples } from '../../src/samples/merge-samples.js'
import type { EndpointSample, TrialSample } from '../../src/samples/sample-schemas.js'
import { computeCellStats } from '../../src/stats/compute-cell-stats.js'

const none = () => ({ ...emptyErrorCounts() })

function endpoint(
  name: string,
  successes: number,
  ms: number,
  status: Record<string, number> = {},
): EndpointSample {
  const recorder = new LatencyRecorder()
  for (let i = 0; i < successes; i++) recorder.record(ms * 1000)
  return { name, successes, errors: { ...none(), status }, histogram: recorder.encode() }
}

/** One generator thread's sample of a 1 s step mixing /db (3 ms) and /fortunes (4 ms, some 500s). */
function thread(db: number, fortunes: number, failed: number): TrialSample {
  const endpoints = [endpoint('GET /db', db, 3), endpoint('GET /fortunes', fortunes, 4, { '500': failed })]
  const recorder = new LatencyRecorder()
  for (let i = 0; i < db; i++) recorder.record(3000)
  for (let i = 0; i < fortunes; i++) recorder.record(4000)
  return {
    successes: db + fortunes,
    bytes: 0,
    durationMs: 1000,
    errors: { ...none(), status: { '500': failed } },
    histogram: recorder.encode(),
    endpoints,
  }
}

describe('per-endpoint rows for a phase that mixes requests', () => {
  it('threads merge request by request; trials give each request its req/s, latency and error rate', () => {
    const trial1 = mergeSamples([thread(300, 100, 5), thread(310, 90, 5)])
    assert.deepEqual(
      trial1.endpoints?.map((e) => [e.name, e.successes, e.errors.status['500'] ?? 0]),
      [
        ['GET /db', 610, 0],
        ['GET /fortunes', 190, 10],
      ],
    )
    const trial2 = mergeSamples([thread(200, 100, 0), thread(200, 100, 0)])
    const stats = computeCellStats([trial1, trial2, trial1])
    const [db, fortunes] = stats.endpoints ?? []
    assert.equal(db?.reqPerSec, 610, 'median of 610, 400, 610')
    assert.equal(fortunes?.successes, 190 + 200 + 190)
    assert.equal(fortunes?.errorCount, 20)
    assert.equal(fortunes?.errorPercent, (20 / 600) * 100)
    assert.ok(Math.abs((db?.latency.p99 ?? 0) - 3) < 0.01, `db p99 ${db?.latency.p99}`)
    assert.ok(Math.abs((fortunes?.latency.p50 ?? 0) - 4) < 0.01, `fortunes p50 ${fortunes?.latency.p50}`)
    assert.equal(
      computeCellStats([{ ...trial1, endpoints: undefined }]).endpoints,
      undefined,
      'one request: none',
    )
  })

  it('the report and bench run print a table by request under the phase table', () => {
    const fixture = resultSetSchema.parse(
      upgradeResultSet(
        JSON.parse(readFileSync(new URL('../../../test/fixtures/run-results.json', import.meta.url), 'utf8')),
      ),
    )
    const cell = fixture.cells.find((c) => c.stats && c.loop === 'closed')
    assert.ok(cell?.stats)
    const mixed = {
      ...cell,
      stats: { ...cell.stats, ...computeCellStats([mergeSamples([thread(300, 100, 5)])]) },
    }
    const results = { ...fixture, cells: fixture.cells.map((c) => (c === cell ? mixed : c)) }
    const tables = resultsTables(results)
    const at = tables.findIndex((t) => t.title === `phase "${cell.phase}" by request`)
    assert.ok(at > 0, tables.map((t) => t.title).join('; '))
    assert.ok(tables[at - 1]?.title.startsWith(`phase "${cell.phase}" —`), 'right under its phase')
    assert.deepEqual(tables[at]?.rows, [
      [cell.stack, String(cell.connections), 'GET /db', '300', '3.00', '3.00', '3.00', '0'],
      [cell.stack, String(cell.connections), 'GET /fortunes', '100', '4.00', '4.00', '4.00', '4.8'],
    ])
    assert.equal(resultsTables(fixture).filter((t) => t.title.endsWith('by request')).length, 0)
    assert.match(renderReportMarkdown(results), /\| GET \/fortunes \| 100 \| 4\.00 \|/)
  })
})
