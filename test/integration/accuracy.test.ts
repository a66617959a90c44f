import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { median } from 'simple-statistics'
import type { LoadSpec } from '../../src/load/contract/load-spec.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { summarizeLatency } from '../../src/samples/latency-histogram.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { httpGet } from '../../src/stacks/wait-ready.js'
import { measuredMs } from '../measured-ms.js'
import { appsYaml, closedLoad, tempDir } from './harness.js'
import { runWrk } from './wrk.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

function profileWith(stacks: string): Profile {
  const parsed = parseProfile(
    `name: accuracy\n${appsYaml}\nstacks:\n${stacks}\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
  )
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.profile
}

/**
 * bench and wrk on the same server, interleaved over `count` 3 s rounds, each taken at its best round:
 * a VM hiccup in one round does not decide the comparison. The p99 comparison takes 5 rounds: with 3, one
 * fresh-clone CI run read bench 28.2 ms against wrk 25.6 (a p99 of ~1,400 answers moves that much). With 5,
 * another read 24.1 against 22.7: a p99 cannot be held closer to wrk's than wrk's own rounds agree with each
 * other, so the bound is 5 % or wrk's round-to-round spread (its median round less its best), whichever is
 * wider (on a quiet machine, 5 %; the median, not the worst round, so that one stalled round widens nothing).
 */
type Measured = Awaited<ReturnType<typeof measure>>

async function sideBySide(stack: RunningStack, path: string, connections: number, count = 3) {
  const rounds: { ours: Measured; autocannon: Measured; wrk: Awaited<ReturnType<typeof runWrk>> }[] = []
  for (let i = 0; i < count; i++) {
    rounds.push({
      ours: await measure(stack, closedLoad(path, connections, 3)),
      autocannon: await measure(stack, closedLoad(path, connections, 3, { engine: 'autocannon' })),
      wrk: await runWrk(`${stack.baseUrl}${path}`, connections, 3),
    })
  }
  const best = (pick: (r: (typeof rounds)[number]) => Measured) =>
    rounds.map(pick).reduce((b, r) => (measuredMs(r.latency.p50) < measuredMs(b.latency.p50) ? r : b))
  const low = (pick: (r: (typeof rounds)[number]) => number) => Math.min(...rounds.map(pick))
  return {
    ours: best((r) => r.ours),
    autocannon: best((r) => r.autocannon),
    wrk: {
      p50: low((r) => r.wrk.p50),
      p99: low((r) => r.wrk.p99),
      p99Spread: median(rounds.map((r) => r.wrk.p99)) - low((r) => r.wrk.p99),
    },
    oursP99: low((r) => measuredMs(r.ours.latency.p99)),
  }
}

async function measure(stack: RunningStack, spec: LoadSpec) {
  const sample = await threadedEngine.run(stack, spec, new AbortController().signal)
  return { sample, latency: summarizeLatency([sample.histogram]) }
}

describe('latency accuracy against known delays, wrk and autocannon, side by side on the same server', () => {
  const profile = profileWith('  - { name: node, app: node }\n  - { name: gunicorn, app: flask, workers: 4 }')
  const stacks: RunningStack[] = []
  before(async () => {
    for (const spec of profile.stacks) stacks.push(await startStack(spec, profile, tempDir()))
  })
  after(async () => {
    for (const stack of stacks) await stack.stop()
  })

  it('measures /sleep?ms=20 at p50 and p99 within 5 % of wrk and of autocannon, never below the 20 ms delay', async (t) => {
    const node = stacks[0] as RunningStack
    const { ours, autocannon, wrk, oursP99 } = await sideBySide(node, '/sleep?ms=20', 10, 5)
    const ratio = measuredMs(ours.latency.p50) / wrk.p50
    t.diagnostic(
      `node /sleep?ms=20: bench p50 ${ours.latency.p50} p99 ${oursP99} ms, autocannon p50 ${autocannon.latency.p50} ms, wrk p50 ${wrk.p50} p99 ${wrk.p99} ms (median round − best ${wrk.p99Spread.toFixed(2)} ms), ratio ${ratio.toFixed(3)}`,
    )
    // the two engines of bench agree with each other on a server of known delay
    assert.ok(
      Math.abs(measuredMs(autocannon.latency.p50) / measuredMs(ours.latency.p50) - 1) <= 0.05,
      `engine p50 ${ours.latency.p50} ms vs autocannon ${autocannon.latency.p50} ms`,
    )
    const p99Bound = Math.max(0.05 * wrk.p99, wrk.p99Spread)
    assert.ok(
      Math.abs(oursP99 - wrk.p99) <= p99Bound,
      `bench p99 ${oursP99} ms vs wrk ${wrk.p99} ms (bound ${p99Bound.toFixed(2)} ms)`,
    )
    assert.ok(
      measuredMs(ours.latency.p50) >= 20,
      `p50 ${ours.latency.p50} ms is below the server's 20 ms delay`,
    )
    // node's timers fire ~1 ms late: the delay the server really takes is what wrk, the reference, sees
    assert.ok(
      measuredMs(ours.latency.p50) <= 23,
      `p50 ${ours.latency.p50} ms is far above the 20 ms delay (wrk: ${wrk.p50})`,
    )
    assert.ok(
      Math.abs(ratio - 1) <= 0.05,
      `bench p50 ${ours.latency.p50} ms vs wrk ${wrk.p50} ms (ratio ${ratio})`,
    )
    assert.equal(ours.sample.errors.connect + ours.sample.errors.timeout + ours.sample.errors.reset, 0)
  })

  it('agrees with wrk when the server closes the connection after every response (gunicorn sync)', async (t) => {
    const gunicorn = stacks[1] as RunningStack
    const probe = await httpGet(`${gunicorn.baseUrl}/sleep?ms=50`, 2000)
    assert.equal(
      probe.headers.connection,
      'close',
      'gunicorn sync must close the connection: the case under test',
    )
    // 50 ms: node's per-connection overhead (~0.5–1 ms against wrk's C) stays small beside it
    const { ours, wrk } = await sideBySide(gunicorn, '/sleep?ms=50', 4)
    const ratio = measuredMs(ours.latency.p50) / wrk.p50
    t.diagnostic(
      `gunicorn /sleep?ms=50: bench p50 ${ours.latency.p50} ms, wrk p50 ${wrk.p50} ms, ratio ${ratio.toFixed(3)}`,
    )
    // autocannon 9.0.0 unpatched matched responses to stale start times here: p50 in the hundreds of ms
    assert.ok(
      Math.abs(ratio - 1) <= 0.1,
      `bench p50 ${ours.latency.p50} ms vs wrk ${wrk.p50} ms (ratio ${ratio})`,
    )
    assert.ok(
      measuredMs(ours.latency.p99) < 100,
      `p99 ${ours.latency.p99} ms: latencies are being matched to stale requests`,
    )
    assert.ok(ours.sample.successes > 150, `only ${ours.sample.successes} responses in 3 s`)
  })
})
