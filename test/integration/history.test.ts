import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type ResultSet, resultSchemaVersion } from '../../src/results/results-file-schema.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import type { TrialSample } from '../../src/samples/sample-schemas.js'
import { freePort } from '../../src/stacks/free-port.js'
import { startPostgres, type TestPostgres } from '../start-postgres.js'
import { fixtures, hasStackTrace, runCli, tempDir } from './harness.js'

function sample(reqPerSec: number, latencyMs: number): TrialSample {
  const recorder = new LatencyRecorder()
  for (let i = 0; i < 200; i++) recorder.record(latencyMs * 1000 * (0.9 + (i % 20) / 100))
  return {
    successes: Math.round(reqPerSec),
    bytes: Math.round(reqPerSec) * 100,
    durationMs: 1000,
    errors: { ...emptyErrorCounts() },
    histogram: recorder.encode(),
  }
}

/** A results file of one run: one cell, 4 trials around the given p50 (±1 %, deterministic). */
function results(run: number, latencyMs: number): ResultSet {
  const jitter = [1, 0.99, 1.01, 1.005]
  return {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: '0' },
    status: 'complete',
    profile: { name: 'ci', file: 'ci.yml', sha256: 'same-profile' },
    startedAt: `2026-02-${String(run).padStart(2, '0')}T10:00:00.000Z`,
    environment: {
      node: 'v20',
      platform: 'linux',
      kernel: '6.1',
      cpuModel: 'test cpu',
      cpuCount: 2,
      memoryGiB: 4,
      versions: {},
      gitCommit: `commit${run}`,
    },
    stackRuns: [],
    trials: jitter.map((f, trial) => ({
      stack: 'node',
      phase: 'hello',
      step: 0,
      loop: 'closed' as const,
      connections: 50,
      pipelining: 1,
      trial,
      status: 'ok' as const,
      // a little run-to-run noise too, so the series is not flat: ±1 % by run
      sample: sample(10_000, latencyMs * f * (1 + ((run * 7) % 5) / 250)),
    })),
    cells: [],
    warnings: [],
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function history(args: string[]) {
  const result = await runCli(['history', ...args])
  assert.ok(!hasStackTrace(result.stderr), result.stderr)
  return result
}

/** The results files of 12 runs in `dir`; the twelfth waits 30 % longer: p50 5 ms → 6.5 ms. */
function twelveRuns(dir: string): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const file = join(dir, `run${i + 1}.json`)
    writeFileSync(file, JSON.stringify(results(i + 1, i === 11 ? 6.5 : 5)))
    return file
  })
}

describe('bench history: add, show, check', () => {
  const dir = tempDir()
  const db = join(dir, 'history.sqlite')
  const files = twelveRuns(dir)

  it('adds 11 steady runs; check passes and show prints a row per run', async () => {
    for (const [i, file] of files.slice(0, 11).entries()) {
      const added = await history([
        'add',
        file,
        '--db',
        db,
        '--branch',
        'main',
        ...(i === 0 ? ['--commit', 'given1'] : []),
      ])
      assert.equal(added.code, 0, added.stderr)
      assert.match(
        added.stderr,
        /^added to .*history\.sqlite: ci of 2026-02-\d\dT10:00:00\.000Z, commit \w+ on main, 1 cells$/m,
      )
    }
    const check = await history(['check', '--db', db])
    assert.equal(check.code, 0, check.stdout)
    assert.match(check.stdout, /history check: PASS/)
    const show = await history(['show', '--db', db])
    assert.equal(show.code, 0, show.stderr)
    assert.match(show.stdout, /^node \/ hello \/ c=50 \(median of each run's trials\)$/m)
    assert.equal((show.stdout.match(/│ main +│/g) ?? []).length, 11)
    assert.match(show.stdout, /│ given1 +│ main/, '--commit overrides the commit the run recorded')
    assert.match(show.stdout, /│ commit2 +│ main/)
  })

  it('adding the same results file again adds nothing', async () => {
    const again = await history(['add', files[3] as string, '--db', db])
    assert.equal(again.code, 0)
    assert.match(again.stderr, /already holds ci of 2026-02-04T10:00:00\.000Z: nothing added/)
    const show = await history(['show', '--db', db])
    assert.equal((show.stdout.match(/│ main +│/g) ?? []).length, 11)
  })

  it('a twelfth run 30 % slower at p50 starts a regression: exit 6, naming the cell, metric and run', async () => {
    assert.equal((await history(['add', files[11] as string, '--db', db, '--branch', 'main'])).code, 0)
    const check = await history(['check', '--db', db])
    assert.equal(check.code, 6, check.stdout)
    assert.match(
      check.stdout,
      /│ node \/ hello \/ c=50 │ p50 +│ 12: commit12 2026-02-12 │ 5\.\d\d ms → 6\.\d\d ms +│ \+\d\d\.\d % │ [\d.e-]+ +│ REGRESSION \(newest\) │/,
    )
    assert.match(check.stdout, /history check: REGRESSION — node \/ hello \/ c=50 p50 \+\d\d\.\d %/)
  })

  it('window, p-value and recent are checked: one message and exit 2 each', async () => {
    for (const [flag, value, message] of [
      ['--window', '2', /--window must be a whole number of runs, 3 or more \(got 2\)/],
      ['--p-value', '1.5', /--p-value must lie between 0 and 1 \(got 1\.5\)/],
      ['--recent', '0', /--recent must be a whole number of runs, 1 or more \(got 0\)/],
    ] as const) {
      const r = await history(['check', '--db', db, flag, value])
      assert.equal(r.code, 2, r.stderr)
      assert.match(r.stderr, message)
      assert.match(r.stderr, /fix: /)
    }
  })
})

describe('bench history refuses what is not its own, and never writes to it', () => {
  const dir = tempDir()
  const run = join(dir, 'run.json')
  writeFileSync(run, JSON.stringify(results(1, 5)))
  const refuses = async (db: string, code: number, message: RegExp) => {
    const before = sha256(db)
    for (const args of [
      ['add', run, '--db', db],
      ['show', '--db', db],
      ['check', '--db', db],
    ]) {
      const r = await history(args)
      assert.equal(r.code, code, `${args[0]}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.match(r.stderr, /\n {2}fix: /)
    }
    assert.equal(sha256(db), before, 'the file is byte for byte as it was')
  }

  it("another program's SQLite database: exit 2, untouched", async () => {
    const db = join(dir, 'foreign.sqlite')
    copyFileSync(join(fixtures, 'foreign.sqlite'), db)
    await refuses(
      db,
      2,
      /foreign\.sqlite is a SQLite database of another program, not a bench history \(application_id 0; tables notes\); bench left it as it was/,
    )
  })
  it('a file that is not SQLite at all: exit 2, untouched', async () => {
    const db = join(dir, 'notes.txt')
    writeFileSync(db, 'my notes, not a database\n')
    await refuses(
      db,
      2,
      /notes\.txt is not a SQLite database, so not a bench history; bench left it as it was/,
    )
  })
  it('a damaged history: exit 2, untouched', async () => {
    const db = join(dir, 'damaged.sqlite')
    assert.equal((await history(['add', run, '--db', db])).code, 0)
    const bytes = readFileSync(db)
    bytes.fill(0xff, 4096, 8192) // page 2, where the runs table lives
    writeFileSync(db, bytes)
    await refuses(db, 2, /the history .*damaged\.sqlite is damaged \(.+\); bench left it as it was/)
  })
  it('a missing history for show and check (exit 2), a missing folder for add (exit 3)', async () => {
    const missing = await history(['check', '--db', join(dir, 'none.sqlite')])
    assert.equal(missing.code, 2)
    assert.match(
      missing.stderr,
      /there is no history at .*none\.sqlite\n {2}fix: record a run first: bench history add <results\.json> --db /,
    )
    const noFolder = await history(['add', run, '--db', join(dir, 'no/such/folder/h.sqlite')])
    assert.equal(noFolder.code, 3)
    assert.match(
      noFolder.stderr,
      /cannot create the history .*: the folder .*no\/such\/folder does not exist/,
    )
  })
  it('a results file that is not one: exit 2', async () => {
    const r = await history(['add', join(dir, 'nope.json'), '--db', join(dir, 'h.sqlite')])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /cannot read the results file .*nope\.json: no such file/)
  })
})

describe('bench history in PostgreSQL (--db postgresql://…), a store a team shares', () => {
  let postgres: TestPostgres
  const dir = tempDir()
  const sqlite = join(dir, 'history.sqlite')
  const files = twelveRuns(dir)
  before(async () => {
    postgres = await startPostgres()
  })
  after(async () => {
    await postgres.stop()
  })

  it('holds the same history as the SQLite file: show prints the same series, check finds the same regression', async () => {
    for (const file of files) {
      for (const db of [postgres.url, sqlite]) {
        const added = await history(['add', file, '--db', db, '--branch', 'main'])
        assert.equal(added.code, 0, added.stderr)
      }
    }
    const again = await history(['add', files[3] as string, '--db', postgres.url])
    assert.match(again.stderr, /already holds ci of 2026-02-04T10:00:00\.000Z: nothing added/)
    const [inPg, inFile] = [
      await history(['show', '--db', postgres.url]),
      await history(['show', '--db', sqlite]),
    ]
    assert.equal(inPg.code, 0, inPg.stderr)
    assert.equal((inPg.stdout.match(/│ main +│/g) ?? []).length, 12)
    assert.equal(inPg.stdout, inFile.stdout)
    const check = await history(['check', '--db', postgres.url])
    assert.equal(check.code, 6, check.stdout)
    assert.equal(check.stdout, (await history(['check', '--db', sqlite])).stdout)
    const [runs] = await postgres.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM bench_history_runs',
    )
    assert.equal(runs?.n, 12)
  })

  it('bench report --history draws it from PostgreSQL too', async () => {
    const out = join(dir, 'pg-history.md')
    const report = await runCli(['report', '--history', postgres.url, '--format', 'md', '--out', out])
    assert.equal(report.code, 0, report.stderr)
    assert.match(readFileSync(out, 'utf8'), /node \/ hello \/ c=50/)
  })

  it('tables named like the history that bench did not make: exit 2, left as they were', async () => {
    await postgres.query('CREATE SCHEMA other')
    await postgres.query('CREATE TABLE other.bench_history_runs (note TEXT)')
    await postgres.query("INSERT INTO other.bench_history_runs VALUES ('theirs')")
    const url = `${postgres.url}?options=-csearch_path%3Dother`
    const added = await history(['add', files[0] as string, '--db', url])
    assert.equal(added.code, 2, added.stderr)
    assert.match(
      added.stderr,
      /holds tables named like a bench history \(bench_history_runs\) that are not one; bench left them as they were/,
    )
    const rows = await postgres.query<{ note: string }>('SELECT note FROM other.bench_history_runs')
    assert.deepEqual(rows, [{ note: 'theirs' }])
    const tables = await postgres.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'other'",
    )
    assert.equal(tables.length, 1, 'nothing was created beside them')
  })

  it('a database with no history for show (exit 2), and a server that is not there (exit 3)', async () => {
    const empty = `${postgres.url}?options=-csearch_path%3Dnothing_here`
    const show = await history(['show', '--db', empty])
    assert.equal(show.code, 2, show.stderr)
    assert.match(show.stderr, /there is no history in postgresql:/)
    const port = await freePort('127.0.0.1')
    const gone = await history([
      'add',
      files[0] as string,
      '--db',
      `postgresql://bench:secret@127.0.0.1:${port}/bench`,
    ])
    assert.equal(gone.code, 3, gone.stderr)
    assert.match(
      gone.stderr,
      /cannot reach the history database postgresql:\/\/bench:\*\*\*@127\.0\.0\.1:\d+\/bench \(ECONNREFUSED/,
    )
    assert.doesNotMatch(gone.stderr, /secret/)
  })
})
