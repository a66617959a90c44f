import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { createProgressPrinter } from '../../src/cli/create-progress-printer.js'
import { progressMode } from '../../src/cli/progress-mode.js'
import type { ProgressEvent } from '../../src/execute/run-plan.js'
import type { PlannedStep, StackRun } from '../../src/plan/build-plan.js'
import { paint } from '../../src/report/paint.js'
import { type ProgressLineState, renderProgressLine } from '../../src/report/render-progress-line.js'
import { renderStepLine } from '../../src/report/render-step-line.js'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'

const results = resultSetSchema.parse(
  upgradeResultSet(
    JSON.parse(readFileSync(new URL('../../../test/fixtures/run-results.json', import.meta.url), 'utf8')),
  ),
)
const trial = (stack: string, phase: string, step: number) =>
  results.trials.find((t) => t.stack === stack && t.phase === phase && t.step === step) as TrialRecord

// ESC, as a string built at run time so this file holds no control character
const esc = String.fromCharCode(27)
const hasControl = (s: string) => s.includes(esc)

const state: ProgressLineState = {
  stack: 'node',
  trial: 0,
  trials: 1,
  phase: 'hello',
  load: { loop: 'closed', connections: 50, durationMs: 6000 },
  elapsedMs: 3100,
  reqPerSec: 12345.4,
  p99Ms: 4.5612,
  errors: 0,
  runRemainingMs: 125_000,
}

describe('renderProgressLine', () => {
  it('shows stack, phase, connections, bar, percentage, elapsed/total, req/s, p99, errors and the run ETA', () => {
    const line = renderProgressLine(state, 120)
    assert.match(
      line,
      /^ {4}node · hello c=50 \[[#.]+\] {3}51 % 3\.1s\/6\.0s {2}12,345 req\/s {2}p99 4\.56 ms {2}0 errors {2}run: 2m05s left$/,
    )
    const bar = line.match(/\[(#*)(\.*)\]/)
    assert.ok(bar, line)
    const [, done = '', todo = ''] = bar
    assert.equal(done.length + todo.length, 24, 'the widest bar at 120 columns')
    assert.equal(Math.round((done.length / 24) * 100), 50, 'half done at 3.1 of 6 s')
    assert.ok(line.length <= 120)
  })

  it('names an open-loop step by its rate or ramp, and the trial when there are several', () => {
    const open = renderProgressLine(
      {
        ...state,
        trials: 3,
        trial: 1,
        load: { loop: 'open', rate: { from: 100, to: 500 }, durationMs: 6000 },
      },
      160,
    )
    assert.match(open, /^ {4}node \(trial 2\) · hello 100→500 req\/s \[/)
    const constant = renderProgressLine(
      { ...state, load: { loop: 'open', rate: { from: 2000, to: 2000 }, durationMs: 6000 } },
      160,
    )
    assert.match(constant, / hello 2,000 req\/s \[/)
  })

  it('before a rate is known shows "…", a capacity search has no run ETA, errors are counted', () => {
    const line = renderProgressLine(
      { ...state, reqPerSec: undefined, runRemainingMs: undefined, errors: 1 },
      160,
    )
    assert.match(line, /… req\/s {2}p99 4\.56 ms {2}1 error$/)
    assert.doesNotMatch(line, /run:/)
  })

  it('never overruns 100 % nor the duration, and shows minutes past 60 s', () => {
    const line = renderProgressLine(
      { ...state, elapsedMs: 130_000, load: { loop: 'closed', connections: 5, durationMs: 120_000 } },
      160,
    )
    assert.match(line, /\[#{24}\] {2}100 % 2m00s\/2m00s/)
  })

  it('fits narrow terminals: drops the bar, then cuts the line, never wider than asked', () => {
    for (const width of [100, 80, 60, 30]) {
      const line = renderProgressLine(state, width)
      assert.ok(line.length <= width, `${width}: ${line.length}`)
    }
    assert.doesNotMatch(renderProgressLine(state, 80), /\[/, 'no room for a bar at 80 columns')
    assert.match(renderProgressLine(state, 80), /…$/)
    assert.ok(!hasControl(renderProgressLine(state, 80)))
  })
})

describe('renderStepLine', () => {
  it('plain, is exactly the line bench run has always printed', () => {
    const record = trial('node', 'ladder', 0)
    const rate = Math.round(((record.sample?.successes ?? 0) * 1000) / (record.sample?.durationMs ?? 1))
    assert.equal(
      renderStepLine(record, { verdict: false, colour: false }),
      `    ladder c=10: ${rate.toLocaleString('en-US')} req/s`,
    )
    const failed: TrialRecord = {
      ...record,
      sample: undefined,
      status: 'failed',
      failure: { message: 'node exited', fix: 'see its log', logTail: [] },
    }
    assert.equal(
      renderStepLine(failed, { verdict: false, colour: false }),
      '    ladder c=10: skipped (node exited)',
    )
    const withErrors: TrialRecord = {
      ...record,
      sample: {
        ...(record.sample as NonNullable<TrialRecord['sample']>),
        errors: { ...emptyErrorCounts(), connect: 2, status: { '502': 3 } },
      },
    }
    assert.match(
      renderStepLine(withErrors, { verdict: false, colour: false }),
      /req\/s, errors: connect 2, 502×3$/,
    )
  })

  it('a WebSocket step says how many connections were established, and its messages per second when it sent any', () => {
    const record = trial('node', 'ladder', 0)
    const sample = record.sample as NonNullable<TrialRecord['sample']>
    const websocket = {
      connections: 1000,
      established: 998,
      refused: { ...emptyErrorCounts(), status: { '503': 2 } },
      dropped: 0,
      tooLarge: 0,
      handshakeHistogram: '',
      closedCleanly: 998,
    }
    const held = { ...record, sample: { ...sample, successes: 0, websocket } }
    assert.equal(
      renderStepLine(held, { verdict: false, colour: false }),
      '    ladder c=10: 998 of 1,000 established',
    )
    const talking = { ...record, sample: { ...sample, successes: 2 * sample.durationMs, websocket } }
    assert.equal(
      renderStepLine(talking, { verdict: false, colour: false }),
      '    ladder c=10: 998 of 1,000 established, 2,000 msgs/s',
    )
  })

  it('coloured by verdict: ok green, suspect yellow with its reason, failed red', () => {
    const ok = renderStepLine(trial('node', 'ladder', 0), { verdict: true, colour: true })
    assert.ok(ok.startsWith(`${esc}[32m`) && ok.endsWith(`${esc}[39m`), JSON.stringify(ok))
    // an open-loop step that achieved far less than offered is suspect
    const base = trial('node', 'rates', 1)
    const sample = base.sample as NonNullable<TrialRecord['sample']>
    const behind: TrialRecord = {
      ...base,
      sample: { ...sample, successes: Math.round(sample.successes / 2) },
    }
    const suspect = renderStepLine(behind, { verdict: true, colour: true })
    assert.ok(suspect.startsWith(`${esc}[33m`), JSON.stringify(suspect))
    assert.match(suspect, /suspect: achieved \d+ of \d+ req\/s offered \(5\d\.\d %\)/)
    assert.equal(renderStepLine(behind, { verdict: false, colour: false }).includes('suspect'), false)
    const failed = renderStepLine(
      { ...base, failure: { message: 'node exited', fix: '', logTail: [] } },
      { verdict: true, colour: true },
    )
    assert.ok(failed.startsWith(`${esc}[31m`) && failed.includes('FAILED: node exited'))
    assert.ok(!hasControl(renderStepLine(behind, { verdict: true, colour: false })), 'NO_COLOR: no escapes')
  })
})

describe('progressMode', () => {
  it('is live and coloured only on a TTY, outside CI and without --quiet; NO_COLOR turns colours off', () => {
    assert.deepEqual(progressMode({ isTTY: true, env: {}, quiet: false }), { live: true, colour: true })
    assert.deepEqual(progressMode({ isTTY: false, env: {}, quiet: false }), { live: false, colour: false })
    assert.deepEqual(progressMode({ isTTY: true, env: { CI: 'true' }, quiet: false }), {
      live: false,
      colour: false,
    })
    assert.deepEqual(progressMode({ isTTY: true, env: {}, quiet: true }), { live: false, colour: false })
    assert.deepEqual(progressMode({ isTTY: true, env: { NO_COLOR: '1' }, quiet: false }), {
      live: true,
      colour: false,
    })
    assert.deepEqual(progressMode({ isTTY: true, env: { NO_COLOR: '' }, quiet: false }), {
      live: true,
      colour: true,
    })
    assert.deepEqual(progressMode({ isTTY: true, env: { CI: 'false' }, quiet: false }), {
      live: true,
      colour: true,
    })
  })
})

describe('paint', () => {
  it('wraps in SGR codes only when enabled', () => {
    assert.equal(paint('ok', 'green', false), 'ok')
    assert.equal(paint('ok', 'green', true), `${esc}[32mok${esc}[39m`)
  })
})

describe('createProgressPrinter', () => {
  const step: PlannedStep = {
    phase: 'ladder',
    step: 0,
    load: {
      loop: 'closed',
      engine: 'bench',
      protocol: 'http1',
      streams: 1,
      durationMs: 4000,
      timeoutMs: 10_000,
      requests: [],
      generators: 1,
      connections: 10,
      pipelining: 1,
    },
  }
  const run: StackRun = {
    trial: 0,
    stack: { name: 'node', app: 'node' } as StackRun['stack'],
    steps: [step],
  }
  const progress = (elapsedMs: number, successes: number, errors = 0, at = step): ProgressEvent => ({
    kind: 'step-progress',
    run,
    step: at,
    progress: { elapsedMs, successes, errors, p99Ms: 2.5 },
  })
  const done: ProgressEvent = { kind: 'step-done', run, step, record: trial('node', 'ladder', 0) }
  const started: ProgressEvent = { kind: 'stack-started', run, index: 0, total: 2, startupMs: 93.4 }

  function printer(live: boolean, colour = live) {
    let out = ''
    let clock = 0
    const p = createProgressPrinter({
      live,
      colour,
      write: (text) => {
        out += text
      },
      columns: () => 140,
      now: () => clock,
      estimatedMs: 20_000,
      trials: 1,
    })
    return { p, out: () => out, tick: (ms: number) => (clock += ms) }
  }

  it('plain: exactly the lines of old, nothing for step-progress, no control sequences', () => {
    const { p, out } = printer(false)
    p.onProgress(started)
    p.onProgress(progress(500, 1000))
    p.onProgress({
      kind: 'stack-failed',
      run,
      index: 1,
      total: 2,
      error: new BenchError('stack', 'nginx would not start', 'x'),
    })
    p.onProgress(done)
    p.close()
    const lines = out().split('\n')
    assert.equal(lines[0], '[1/2] node (trial 1) ready in 93 ms')
    assert.equal(lines[1], '[2/2] node (trial 1) FAILED: nginx would not start')
    assert.match(lines[2] ?? '', /^ {4}ladder c=10: [\d,]+ req\/s$/)
    assert.equal(lines.length, 4)
    assert.ok(!hasControl(out()))
  })

  it('live: redraws one line in place, with req/s from the change in successes, then the step line', () => {
    const { p, out, tick } = printer(true)
    p.onProgress(started)
    const before = out().length
    p.onProgress(progress(500, 1000))
    tick(500)
    p.onProgress(progress(1000, 3500, 2))
    const live = out().slice(before)
    const frames = live.split(`\r${esc}[2K`).filter(Boolean)
    assert.equal(frames.length, 2, JSON.stringify(live))
    assert.ok(!live.includes('\n'), 'drawn in place')
    assert.match(frames[0] ?? '', /ladder c=10 .* 2,000 req\/s {2}p99 2\.50 ms {2}0 errors/)
    assert.match(frames[1] ?? '', / 5,000 req\/s {2}p99 2\.50 ms {2}2 errors/, '2,500 more in 0.5 s')
    // 20 s planned, 1.5 s of stack start and 1 s of this step done: 17.5 s left
    assert.match(frames[1] ?? '', /run: 18s left$/)
    p.onProgress(done)
    const end = out().slice(before + live.length)
    assert.ok(end.startsWith(`\r${esc}[2K${esc}[32m    ladder c=10: `), JSON.stringify(end))
    assert.ok(end.endsWith('\n'))
    // the next step's ETA counts the finished one: 20 − 1.5 − (4 + 0.2) s
    p.onProgress(progress(0, 0, 0, { ...step, step: 1 }))
    assert.match(out(), /run: 14s left$/)
    p.close()
    assert.ok(out().endsWith(`\r${esc}[2K`), 'close erases the live line')
  })

  it('live: at most one redraw per 250 ms; a new step is drawn at once', () => {
    const { p, out, tick } = printer(true)
    const count = () => out().split(`\r${esc}[2K`).length - 1
    p.onProgress(progress(500, 100))
    tick(100)
    p.onProgress(progress(600, 200))
    tick(100)
    p.onProgress(progress(700, 300))
    assert.equal(count(), 1)
    tick(100)
    p.onProgress(progress(800, 400))
    assert.equal(count(), 2)
    p.onProgress(progress(100, 10, 0, { ...step, step: 1 }))
    assert.equal(count(), 3)
  })

  it('live without colour (NO_COLOR): the live line, and no SGR codes anywhere', () => {
    const { p, out } = printer(true, false)
    p.onProgress(started)
    p.onProgress(progress(500, 1000))
    p.onProgress(done)
    p.line('    node search 400 req/s: pass')
    assert.ok(!out().includes(`${esc}[3`), JSON.stringify(out()))
    assert.ok(out().includes(`\r${esc}[2K`), 'the live line is still redrawn')
    assert.ok(out().endsWith('    node search 400 req/s: pass\n'))
  })
})
