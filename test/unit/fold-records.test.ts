import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { foldRecords } from '../../src/results/fold-records.js'
import { parseRecords } from '../../src/results/read-records.js'
import { recordsFile } from '../../src/results/records-file.js'
import { type ResultSet, resultSetSchema } from '../../src/results/results-file-schema.js'
import { type RunRecord, runRecordSchema } from '../../src/results/run-record-schema.js'
import { createRunRecorder } from '../../src/results/run-recorder.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'

const fixtures = join(fileURLToPath(import.meta.url), '../../../../test/fixtures')
const fixture = (name: string): ResultSet =>
  resultSetSchema.parse(upgradeResultSet(JSON.parse(readFileSync(join(fixtures, name), 'utf8'))))

/** The records a run that produced `results` wrote, in the order runPlan and the commands write them. */
function recordsOf(results: ResultSet): RunRecord[] {
  const records: RunRecord[] = [
    {
      kind: 'run-started',
      schemaVersion: results.schemaVersion,
      tool: results.tool,
      profile: results.profile,
      startedAt: results.startedAt,
      environment: results.environment,
      ...(results.gateConfig ? { gateConfig: results.gateConfig } : {}),
    },
  ]
  const capacity = results.capacity
  if (capacity) {
    const { searches, scaling: _, ...settings } = capacity
    records.push({
      kind: 'capacity-started',
      ...settings,
      searches: searches.map((s) => ({ stack: s.stack, topology: s.topology })),
    })
  }
  for (const run of results.stackRuns) {
    const id = { stack: run.stack, trial: run.trial }
    records.push({ kind: 'stack-started', ...id })
    for (const p of run.processes) records.push({ kind: 'process-spawned', ...id, ...p })
    if (run.startupMs !== undefined) records.push({ kind: 'stack-ready', ...id, startupMs: run.startupMs })
    if (run.failure) records.push({ kind: 'stack-failed', ...id, failure: run.failure })
  }
  // (with restart: run one stack run serves every trial, so the steps follow the stack runs here)
  for (const trial of results.trials) records.push({ kind: 'step', ...trial })
  for (const run of results.stackRuns)
    records.push({ kind: 'stack-stopped', stack: run.stack, trial: run.trial })
  for (const w of results.warnings) records.push({ kind: 'warning', ...w })
  for (const { stack, topology: _, steps, ...done } of capacity?.searches ?? []) {
    for (const step of steps) records.push({ kind: 'search-step', stack, step })
    if (done.status !== 'interrupted') records.push({ kind: 'search-done', stack, ...done })
  }
  for (const scaling of capacity?.scaling ?? []) records.push({ kind: 'scaling', scaling })
  if (results.gate) records.push({ kind: 'gate', gate: results.gate })
  if (results.status !== 'running' && results.finishedAt)
    records.push({ kind: 'run-finished', status: results.status, finishedAt: results.finishedAt })
  return records.map((r) => runRecordSchema.parse(r))
}

describe('the records of a run and their fold', () => {
  it('the records of the recorded bench run fixture fold into the same result set: cells, gate, status', () => {
    const results = fixture('run-results.json')
    assert.ok(results.trials.length > 0 && results.cells.length > 0 && results.gate)
    const records = recordsOf(results)
    assert.equal(records.filter((r) => r.kind === 'step').length, results.trials.length)
    assert.deepEqual(foldRecords(records), results)
  })

  it('the records of the recorded bench capacity fixture fold into the same searches and sweeps', () => {
    const results = fixture('capacity-results.json')
    assert.ok(results.capacity && results.capacity.searches.length > 0 && results.capacity.scaling.length > 0)
    assert.deepEqual(foldRecords(recordsOf(results)), results)
  })

  it('an agents-ready record and the agents of each step fold into the agents list; without them there is none', () => {
    const records = recordsOf(fixture('run-results.json'))
    assert.equal(foldRecords(records).agents, undefined)
    const joined = [
      { name: 'a', index: 0, address: '198.18.0.2', cpus: 2, clockOffsetMs: 0.4, roundTripMs: 0.2 },
      { name: 'b', index: 1, address: '198.18.0.3', cpus: 2, clockOffsetMs: 5000.1, roundTripMs: 0.3 },
    ]
    const withAgents = records.map((r, i): RunRecord => {
      if (r.kind !== 'step' || !r.sample || i % 2 === 0) return r
      const generator = r.sample.generator ?? { threads: 2, cpuPercent: 10, eventLoopUtilization: 0.1 }
      return runRecordSchema.parse({
        ...r,
        sample: {
          ...r.sample,
          generator: {
            ...generator,
            agents: [
              { index: 0, name: 'a', requests: 100 + i, cpuPercent: 5, startMs: 0.1 },
              { index: 1, name: 'b', requests: 200 + i, cpuPercent: 6, startMs: 0.7 },
            ],
            startSkewMs: 0.6,
          },
        },
      })
    })
    withAgents.splice(
      1,
      0,
      runRecordSchema.parse({ kind: 'agents-ready', listen: '198.18.0.1:7070', agents: joined }),
    )
    const folded = foldRecords(withAgents)
    const steps = withAgents.flatMap((r, i) =>
      r.kind === 'step' && r.sample?.generator?.agents ? [{ r, i: i - 1 }] : [],
    )
    assert.ok(steps.length > 0)
    assert.deepEqual(
      folded.agents,
      joined.map((agent, k) => ({
        ...agent,
        steps: steps.map(({ r, i }) => ({
          stack: r.kind === 'step' ? r.stack : '',
          phase: r.kind === 'step' ? r.phase : '',
          step: r.kind === 'step' ? r.step : 0,
          trial: r.kind === 'step' ? r.trial : 0,
          requests: (k === 0 ? 100 : 200) + i,
          cpuPercent: k === 0 ? 5 : 6,
          startMs: k === 0 ? 0.1 : 0.7,
          startSkewMs: 0.6,
        })),
      })),
    )
    assert.deepEqual(resultSetSchema.parse(folded), folded)
  })

  it('the status is the last run-finished record’s; without one the run is interrupted', () => {
    const records = recordsOf(fixture('run-results.json'))
    const unfinished = records.filter((r) => r.kind !== 'run-finished')
    const folded = foldRecords(unfinished)
    assert.equal(folded.status, 'interrupted')
    assert.equal(folded.finishedAt, undefined)
    assert.equal(folded.trials.length, fixture('run-results.json').trials.length)
    const failed = foldRecords([
      ...unfinished,
      { kind: 'run-finished', status: 'failed', finishedAt: '2026-01-01T00:00:00.000Z' },
    ])
    assert.equal(failed.status, 'failed')
  })

  it('a run cut after its second step folds into the cells of those two steps only', () => {
    const records = recordsOf(fixture('run-results.json'))
    const second = records.findIndex(
      (r, i) => r.kind === 'step' && records.slice(0, i).some((s) => s.kind === 'step'),
    )
    assert.ok(second > 0)
    const folded = foldRecords(records.slice(0, second + 1))
    assert.equal(folded.trials.length, 2)
    assert.equal(
      folded.cells.reduce((n, c) => n + (c.stats?.trials ?? 0), 0),
      2,
    )
    assert.equal(folded.gate, undefined)
  })

  it('a records file: one record per line, a last line cut short left out, any other bad line refused by number', () => {
    const records = recordsOf(fixture('run-results.json')).slice(0, 4)
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('')
    assert.deepEqual(parseRecords(text, 'x.jsonl'), records)
    assert.deepEqual(parseRecords(`${text}{"kind":"st`, 'x.jsonl'), records)
    assert.throws(
      () => parseRecords(`${text}{"kind":"nope"}\n`, 'x.jsonl'),
      /x\.jsonl:5 is not a bench record/,
    )
    assert.equal(recordsFile('results/a.json'), 'results/a.jsonl')
    assert.equal(recordsFile('out'), 'out.jsonl')
  })

  it('the recorder writes each record before its listeners hear of it, and folds what it holds', () => {
    const written: string[] = []
    const heard: string[] = []
    const recorder = createRunRecorder((r) => written.push(r.kind))
    const stop = recorder.listen((r) => heard.push(`${r.kind} after ${written.length} written`))
    for (const r of recordsOf(fixture('run-results.json')).slice(0, 3)) recorder.record(r)
    stop()
    recorder.record({ kind: 'run-finished', status: 'complete', finishedAt: '2026-01-01T00:00:00.000Z' })
    assert.deepEqual(written, ['run-started', 'stack-started', 'process-spawned', 'run-finished'])
    assert.deepEqual(heard, [
      'run-started after 1 written',
      'stack-started after 2 written',
      'process-spawned after 3 written',
    ])
    assert.equal(recorder.results().status, 'complete')
  })
})

describe('a results file of version 2 (the error rate a fraction)', () => {
  const raw = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'))
  it('reads with every error rate a percent of requests, named errorPercent', () => {
    const old = raw('run-results.json')
    assert.equal(old.schemaVersion, 2)
    const upgraded = resultSetSchema.parse(upgradeResultSet(old))
    assert.ok(old.cells.filter((c: { stats?: unknown }) => c.stats).length > 0)
    old.cells.forEach((c: { stats?: { errorRate: number } }, i: number) => {
      if (c.stats) assert.equal(upgraded.cells[i]?.stats?.errorPercent, c.stats.errorRate * 100)
    })
    const capacity = raw('capacity-results.json')
    const steps = capacity.capacity.searches.flatMap((s: { steps: { errorRate: number }[] }) => s.steps)
    assert.ok(steps.length > 0)
    const read = resultSetSchema.parse(upgradeResultSet(capacity)).capacity
    assert.deepEqual(
      read?.searches.flatMap((s) => s.steps.map((step) => step.errorPercent)),
      steps.map((s: { errorRate: number }) => s.errorRate * 100),
    )
    assert.equal(read?.slo?.errorPercent, capacity.capacity.slo.errorRate, 'the SLO was in percent already')
  })
})
