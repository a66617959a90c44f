import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { GateResult } from '../../src/gate/gate-result-schema.js'
import { type GateCellValues, judgeCells } from '../../src/gate/judge-cells.js'
import { spentAlpha } from '../../src/gate/spent-alpha.js'
import { gateSchema } from '../../src/profile/schema.js'
import { seededRandom } from '../seeded-random.js'

/**
 * How a trial's values vary around their true value. This machine's noise is mostly shared by trials that run close
 * together (DESIGN.md: a slow minute slows both sides of a pair), plus each trial's own.
 */
interface Noise {
  /** Coefficient of variation of the minute a pair of neighbouring trials shares, log-normal. */
  shared: number
  /** Coefficient of variation of each trial on its own, log-normal. */
  own: number
  /** The share of minutes that stall: 30 % fewer req/s and 40 % more latency for both trials of the pair. */
  stalls: number
  /** The share of trials that stall on their own. */
  ownStalls: number
}
/**
 * This machine (DESIGN.md): repeats vary by 3–7 %, and about one run in ten comes in 25–35 % low — most of it
 * shared by neighbours in time (a 5 % minute, 8 % of minutes stalled), the rest each trial's own (2 %, and 2 % of
 * trials stalled alone).
 */
const thisMachine: Noise = { shared: 0.05, own: 0.02, stalls: 0.08, ownStalls: 0.02 }
/** A quiet CI runner. */
const quiet: Noise = { shared: 0.015, own: 0.015, stalls: 0, ownStalls: 0 }

type Scale = { reqPerSec?: number; p50?: number; p99?: number }

/**
 * Draws the trials of one cell, baseline and candidate, n a side. Paired (A/B in one run): trial i of each side
 * shares the minute it ran in. Unpaired (a stored baseline, run another time): every trial has its own minute.
 */
function drawCell(
  random: ReturnType<typeof seededRandom>,
  noise: Noise,
  n: number,
  paired: boolean,
  change: Scale,
) {
  const minute = () => ({
    factor: Math.exp(noise.shared * random.normal()),
    stalled: random.uniform() < noise.stalls,
  })
  const trial = (at: ReturnType<typeof minute>, scale: Scale) => {
    const stalled = at.stalled || random.uniform() < noise.ownStalls
    const own = () => at.factor * Math.exp(noise.own * random.normal())
    return {
      reqPerSec: (10_000 * (scale.reqPerSec ?? 1) * (stalled ? 0.7 : 1)) / own(),
      p50: 5 * (scale.p50 ?? 1) * (stalled ? 1.4 : 1) * own(),
      p99: 12 * (scale.p99 ?? 1) * (stalled ? 1.4 : 1) * own(),
      errorRate: 0,
    }
  }
  const baseline: ReturnType<typeof trial>[] = []
  const candidate: ReturnType<typeof trial>[] = []
  for (let i = 0; i < n; i++) {
    const at = minute()
    baseline.push(trial(at, {}))
    candidate.push(trial(paired ? at : minute(), change))
  }
  return { baseline, candidate }
}

/** Simulated gates, seeded so they give the same figures on every run. */
function simulate(
  seed: number,
  gates: number,
  options: { noise: Noise; cells: number; trials: number; paired?: boolean; change?: Scale },
): Record<GateResult['verdict'], number> {
  const random = seededRandom(seed)
  const paired = options.paired ?? true
  const config = gateSchema.parse({})
  const counts = { pass: 0, regression: 0, inconclusive: 0 }
  for (let g = 0; g < gates; g++) {
    const cells: GateCellValues[] = Array.from({ length: options.cells }, (_, c) => ({
      cell: `cell ${c}`,
      phase: 'p',
      step: c,
      label: `c=${c}`,
      paired,
      ...drawCell(random, options.noise, options.trials, paired, options.change ?? {}),
      candidateErrorPercent: 0,
    }))
    counts[judgeCells(cells, config, 'A', 'B').verdict]++
  }
  return counts
}

const share = (counts: Record<GateResult['verdict'], number>) => {
  const total = counts.pass + counts.regression + counts.inconclusive
  const pct = (n: number) => `${((n / total) * 100).toFixed(2)} %`
  return `of ${total}: regression ${pct(counts.regression)}, inconclusive ${pct(counts.inconclusive)}, pass ${pct(counts.pass)}`
}

describe('the interval rule, simulated over seeded gates', () => {
  const alpha = gateSchema.parse({}).alpha
  it('10,000 A/A gates on a machine like this one (1 cell, 8 trials a side): false-fail rate ≤ alpha', (t) => {
    const r = simulate(1, 10_000, { noise: thisMachine, cells: 1, trials: 8 })
    t.diagnostic(share(r))
    assert.ok(r.regression / 10_000 <= alpha, share(r))
  })
  it('10,000 A/A gates of 3 cells in one family (9 trials a side): false-fail rate ≤ alpha', (t) => {
    const r = simulate(2, 10_000, { noise: thisMachine, cells: 3, trials: 9 })
    t.diagnostic(share(r))
    assert.ok(r.regression / 10_000 <= alpha, share(r))
  })
  it('10,000 A/A gates on a quiet machine: no false fail, and most pass', (t) => {
    const r = simulate(3, 10_000, { noise: quiet, cells: 1, trials: 8 })
    t.diagnostic(share(r))
    assert.ok(r.regression / 10_000 <= alpha, share(r))
    assert.ok(r.pass / 10_000 >= 0.5, share(r))
  })
  it('the worst case, a true change just short of fail (req/s −4.9 %): false-fail rate ≤ alpha ÷ 2', (t) => {
    // Bonferroni: each of the 3 intervals lies wholly below its true value with probability ≤ alpha ÷ 6
    const r = simulate(4, 4_000, { noise: quiet, cells: 1, trials: 8, change: { reqPerSec: 0.951 } })
    t.diagnostic(share(r))
    assert.ok(r.regression / 4_000 <= alpha / 2, share(r))
    assert.ok(r.regression > 0, 'the bound is approached, so the simulation could have broken it')
  })
  it('a real regression, p50 +20 % with 8 trials, fails in ≥ 90 % of gates on a quiet machine', (t) => {
    const r = simulate(5, 4_000, { noise: quiet, cells: 1, trials: 8, change: { p50: 1.2 } })
    t.diagnostic(share(r))
    assert.ok(r.regression / 4_000 >= 0.9, share(r))
    assert.equal(r.pass, 0, 'and is never passed')
  })
  it('on a machine like this one the same regression is never passed; what is not failed is inconclusive', (t) => {
    const r = simulate(6, 4_000, { noise: thisMachine, cells: 1, trials: 8, change: { p50: 1.2 } })
    t.diagnostic(share(r))
    assert.equal(r.pass, 0, share(r))
    assert.ok(r.regression / 4_000 >= 0.5, share(r))
  })
})

describe('the paired rule (A/B in one run), simulated on a machine like this one', () => {
  const alpha = gateSchema.parse({}).alpha
  it('the worst case, req/s truly −4.9 %, 12 pairs: false-fail rate ≤ alpha ÷ 2, and the bound is approached', (t) => {
    const r = simulate(31, 4_000, { noise: thisMachine, cells: 1, trials: 12, change: { reqPerSec: 0.951 } })
    t.diagnostic(share(r))
    assert.ok(r.regression / 4_000 <= alpha / 2, share(r))
    assert.ok(r.regression > 0, 'the simulation could have broken the bound')
  })
  it('A/A at 12 pairs: most gates pass, far more than two independent groups of the same trials', (t) => {
    const paired = simulate(32, 4_000, { noise: thisMachine, cells: 1, trials: 12 })
    const unpaired = simulate(32, 4_000, { noise: thisMachine, cells: 1, trials: 12, paired: false })
    t.diagnostic(`paired ${share(paired)}; unpaired ${share(unpaired)}`)
    assert.ok(paired.regression / 4_000 <= alpha, share(paired))
    assert.ok(paired.pass / 4_000 >= 0.7, share(paired))
    assert.ok(paired.pass >= 2 * unpaired.pass, `unpaired ${share(unpaired)}`)
  })
  it('power at 10 %: req/s −10 % and p50 +10 %, trials: auto (6 to 20 pairs), fail in ≥ 75 % of gates, never pass', (t) => {
    for (const [seed, change] of [
      [33, { reqPerSec: 0.9 }],
      [34, { p50: 1.1 }],
    ] as const) {
      const r = sequential(seed, 1_000, { noise: thisMachine, minTrials: 6, maxTrials: 20, change })
      t.diagnostic(`${JSON.stringify(change)}: ${share(r)}; median trials ${r.medianTrials}`)
      // about 82 % here: the gates this misses are inconclusive, held up by the trials that stall on their own
      assert.ok(r.regression / 1_000 >= 0.75, share(r))
      assert.equal(r.pass, 0, share(r))
    }
  })
  it('a stored baseline (unpaired) on this machine keeps its bound: A/A false fails ≤ alpha', (t) => {
    const r = simulate(35, 4_000, { noise: thisMachine, cells: 1, trials: 8, paired: false })
    t.diagnostic(share(r))
    assert.ok(r.regression / 4_000 <= alpha, share(r))
  })
})

/**
 * Sequential gates (trials: auto): each simulated gate draws maxTrials trials a side, then looks at the first
 * minTrials, minTrials + 1, … of them, each look spending its share of alpha, and stops at the first look that is
 * not inconclusive, as bench run does.
 */
function sequential(
  seed: number,
  gates: number,
  options: {
    noise: Noise
    minTrials: number
    maxTrials: number
    change?: Scale
  },
): Record<GateResult['verdict'], number> & { medianTrials: number } {
  const random = seededRandom(seed)
  const config = gateSchema.parse({})
  const counts = { pass: 0, regression: 0, inconclusive: 0 }
  const used: number[] = []
  for (let g = 0; g < gates; g++) {
    const { baseline, candidate } = drawCell(
      random,
      options.noise,
      options.maxTrials,
      true,
      options.change ?? {},
    )
    for (let n = options.minTrials; n <= options.maxTrials; n++) {
      const cell: GateCellValues = {
        cell: 'c',
        phase: 'p',
        step: 0,
        label: 'c=1',
        paired: true,
        baseline: baseline.slice(0, n),
        candidate: candidate.slice(0, n),
        candidateErrorPercent: 0,
      }
      const look = { trials: n, minTrials: options.minTrials, maxTrials: options.maxTrials }
      const verdict = judgeCells([cell], config, 'A', 'B', look).verdict
      if (verdict !== 'inconclusive' || n === options.maxTrials) {
        counts[verdict]++
        used.push(n)
        break
      }
    }
  }
  used.sort((a, b) => a - b)
  return { ...counts, medianTrials: used[Math.floor(used.length / 2)] ?? 0 }
}

describe('trials: auto, simulated over seeded sequential gates (looks at 6 to 20 trials)', () => {
  const alpha = gateSchema.parse({}).alpha
  const looks = { minTrials: 6, maxTrials: 20 }
  it('spends alpha over the looks: Pocock-type increments that add up to alpha at maxTrials', () => {
    const spent = Array.from({ length: 15 }, (_, i) => spentAlpha(alpha, { trials: 6 + i, ...looks }))
    assert.ok(Math.abs(spent.reduce((a, b) => a + b, 0) - alpha) < 1e-12)
    assert.ok(spent.every((a) => a > 0))
    assert.ok(
      Math.abs((spent[0] ?? 0) - alpha * Math.log(1 + (Math.E - 1) * 0.3)) < 1e-12,
      'the first look spends α*(6/20)',
    )
  })
  it('10,000 A/A gates on a quiet machine: false-fail rate ≤ alpha, and most stop well before 20 trials', (t) => {
    const r = sequential(21, 10_000, { noise: quiet, ...looks })
    t.diagnostic(`${share(r)}; median trials ${r.medianTrials}`)
    assert.ok(r.regression / 10_000 <= alpha, share(r))
    assert.ok(r.medianTrials <= 10, `median ${r.medianTrials} trials`)
  })
  it('500 A/A gates on a machine like this one: false-fail rate ≤ alpha', (t) => {
    const r = sequential(22, 500, { noise: thisMachine, ...looks })
    t.diagnostic(`${share(r)}; median trials ${r.medianTrials}`)
    assert.ok(r.regression / 500 <= alpha, share(r))
  })
  it('the worst case, req/s truly −4.9 %, over 2,000 gates: false fails ≤ alpha ÷ 2 over all the looks', (t) => {
    const r = sequential(23, 2_000, { noise: quiet, ...looks, change: { reqPerSec: 0.951 } })
    t.diagnostic(`${share(r)}; median trials ${r.medianTrials}`)
    assert.ok(r.regression / 2_000 <= alpha / 2, share(r))
  })
  it('a clear regression (p50 +20 %) fails in ≥ 90 % of 2,000 gates, stopping at the first look or so', (t) => {
    const r = sequential(24, 2_000, { noise: quiet, ...looks, change: { p50: 1.2 } })
    t.diagnostic(`${share(r)}; median trials ${r.medianTrials}`)
    assert.ok(r.regression / 2_000 >= 0.9, share(r))
    assert.ok(r.medianTrials <= 7, `median ${r.medianTrials} trials`)
  })
})
