import type { GateConfig, GateMetric } from '../profile/schema.js'
import { median } from '../stats/simple-statistics.js'
import { cellChange } from './cell-change.js'
import { detectTrend } from './detect-trend.js'
import type { ChangeRatio, GateResult, GateRow, GateRowMetric } from './gate-result-schema.js'
import { holm } from './holm.js'
import { type ChangeJudgement, judgeChange } from './judge-change.js'
import { medianInterval } from './median-interval.js'
import { robustCv } from './robust-cv.js'
import { type GateLook, spentAlpha } from './spent-alpha.js'
import { trialsForLevel } from './trials-for-level.js'
import { trialsNeeded } from './trials-needed.js'

/** candidate ÷ baseline, trial by trial: for trials run side by side, drift of the machine cancels in it. */
const trialRatios = (base: readonly number[], cand: readonly number[]) =>
  cand.map((c, i) => c / (base[i] || 1))

/** Metrics judged by the interval of their change; the error rate is judged against an absolute limit instead. */
const testedMetrics = ['reqPerSec', 'p50', 'p99'] as const
type TestedMetric = (typeof testedMetrics)[number]
const higherIsBetter: Record<TestedMetric, boolean> = { reqPerSec: true, p50: false, p99: false }
const names: Record<TestedMetric, string> = { reqPerSec: 'req/s', p50: 'p50', p99: 'p99' }

/** One series judged by the interval of its change: a tested metric of a cell, or one tier's CPU per request. */
export interface Series {
  metric: Exclude<GateRowMetric, 'errorRate'>
  tier?: string
  /** "p50", "CPU/request (app)". */
  name: string
  higherIsBetter: boolean
  base: number[]
  cand: number[]
}

/** The series of one cell judged by intervals: req/s, p50, p99, then each tier's CPU per request. */
export const gateSeries = (pair: GateCellValues): Series[] => [
  ...testedMetrics.map((metric) => ({
    metric,
    name: names[metric],
    higherIsBetter: higherIsBetter[metric],
    base: pair.baseline.map((m) => m[metric]),
    cand: pair.candidate.map((m) => m[metric]),
  })),
  ...(pair.cpuPerRequest ?? []).map((cpu) => ({
    metric: 'cpuPerRequest' as const,
    tier: cpu.tier,
    name: `CPU/request (${cpu.tier})`,
    higherIsBetter: false,
    base: cpu.baseline,
    cand: cpu.candidate,
  })),
]

/**
 * Why the trials' order makes their comparison meaningless, if it does: a machine that warms up, throttles or gets
 * busier makes successive trials drift. Trials run side by side drift together, and only a drift of their ratio
 * matters; unpaired trials are checked group by group.
 */
function drift(base: readonly number[], cand: readonly number[], paired: boolean): string | undefined {
  const groups: [string, readonly number[]][] = paired
    ? [['candidate ÷ baseline, trial by trial,', trialRatios(base, cand)]]
    : [
        ['baseline', base],
        ['candidate', cand],
      ]
  for (const [group, values] of groups) {
    const rho = detectTrend(values)
    if (rho !== undefined) return `${group} drifts with trial order (Spearman ρ ${rho.toFixed(2)})`
  }
  return undefined
}

/** What to do about an interval too wide to decide: how many trials might, and, when they are noisy, a steadier machine. */
function widerAdvice(
  base: readonly number[],
  cand: readonly number[],
  maxCv: number,
  needed: number,
): string {
  const noisy = (['baseline', 'candidate'] as const)
    .map((group) => [group, robustCv(group === 'baseline' ? base : cand)] as const)
    .filter(([, cv]) => cv > maxCv)
    .map(([group, cv]) => `${group} noisy (robust CV ${cv.toFixed(1)} % > ${maxCv} %)`)
  const more =
    needed > 1000
      ? 'raise trials: the change lies about on the threshold, and no number of trials may settle it'
      : `raise trials: about ${needed} a side might decide it`
  return noisy.length > 0 ? `${noisy.join(', ')} — ${more}, or quieten the machine` : more
}

function judgeTested(
  series: Series,
  paired: boolean,
  change: ChangeRatio,
  config: GateConfig,
  familySize: number,
): ChangeJudgement {
  const { base, cand, higherIsBetter } = series
  const { warn, fail, maxCv = 10 } = config.metrics[series.metric]
  if (change.low === null || change.high === null) {
    const level = Number((change.level * 100).toFixed(1))
    return {
      verdict: 'inconclusive',
      reason: `too few trials: ${base.length} against ${cand.length} cannot give a ${level} % interval (alpha ${config.alpha} over ${familySize} metrics) — raise trials to ${trialsForLevel(change.level)} or more`,
    }
  }
  const drifting = drift(base, cand, paired)
  if (drifting)
    return { verdict: 'inconclusive', reason: `${drifting} — quieten the machine or restart per trial` }
  const judged = judgeChange(change, higherIsBetter, { warn, fail }, series.name)
  // half the interval's width: what these trials on this runner resolve; thresholds inside it cannot be told apart
  const resolves = (Math.sqrt(change.high / change.low) - 1) * 100
  const tight =
    judged.verdict !== 'fail' && resolves > warn
      ? ` — this runner resolves ±${resolves.toFixed(1)} % on ${series.name} at ${Math.min(base.length, cand.length)} ${change.paired ? 'pairs' : 'trials a side'}; warn is set at ${warn} %, fail at ${fail} % (bench gate --calibrate suggests thresholds)`
      : ''
  return judged.verdict === 'inconclusive'
    ? {
        ...judged,
        reason: `${judged.reason}${tight} — ${widerAdvice(base, cand, maxCv, trialsNeeded(change, higherIsBetter, fail, Math.min(base.length, cand.length)))}`,
      }
    : { ...judged, reason: `${judged.reason}${tight}` }
}

/** One cell's trial values of each gated metric, baseline and candidate, as evaluateGate hands them over. */
export interface GateCellValues {
  cell: string
  phase: string
  step: number
  label: string
  /** Trial i of the baseline ran next to trial i of the candidate. */
  paired: boolean
  baseline: Record<GateMetric, number>[]
  candidate: Record<GateMetric, number>[]
  /** Failed ÷ all requests over the candidate's trials, %. */
  candidateErrorPercent: number
  /** Each tier's CPU time per successful response, ms, trial by trial: the tiers measured in every trial. */
  cpuPerRequest?: { tier: string; baseline: number[]; candidate: number[] }[]
}

/**
 * Baseline vs candidate, cell by cell, from the trial values of each metric. req/s, p50 and p99 are judged from the confidence interval of their change
 * (candidate ÷ baseline, on the logs of the trial values: for trials run side by side in one A/B run, the signed-rank
 * Hodges–Lehmann centre of the per-pair log-ratios; for a stored baseline, the two-sample Hodges–Lehmann shift): fail when all of it lies past the fail
 * threshold, pass when all of it lies short of warn, warn between, inconclusive when it straddles fail. Each
 * interval is at level 1 − alpha ÷ k for the k metrics of its family (Bonferroni), so that the chance of any false
 * fail in the family stays below alpha ÷ 2. The family is by default the whole gate — every tested metric of
 * every cell, so that a gate of many cells cries wolf no more often than one of a single cell — or each cell. The Wilcoxon signed-rank test (paired) or the Mann-Whitney U test, with Holm's correction over the same family, is
 * reported beside it. The error rate fails past an absolute limit. Too few trials, or a drift across trial order,
 * make a metric inconclusive — never a silent pass.
 */
export function judgeCells(
  cells: readonly GateCellValues[],
  given: GateConfig,
  baseline: string,
  candidate: string,
  look?: GateLook,
): GateResult {
  // a sequential gate (trials: auto) spends at each look only its share of alpha
  const config = look ? { ...given, alpha: spentAlpha(given.alpha, look) } : given
  const rows: GateRow[] = []
  const seriesByCell = cells.map(gateSeries)
  // the family the correction spans: every tested series of every cell (default), or those of each cell (the
  // largest cell's count, so that no cell's intervals are narrower than its own family allows)
  const familySize =
    config.family === 'gate'
      ? seriesByCell.reduce((sum, s) => sum + s.length, 0)
      : Math.max(...seriesByCell.map((s) => s.length))
  const level = 1 - config.alpha / familySize
  const tested = cells.map((pair, c) => {
    const series = seriesByCell[c] as Series[]
    const changes = series.map((one) => cellChange(one.base, one.cand, pair.paired, level))
    return { pair, series, changes, p: changes.map((one) => one.p) }
  })
  const adjustedAll =
    config.family === 'gate' ? holm(tested.flatMap((c) => c.p)) : tested.flatMap((c) => holm(c.p))
  let offset = 0
  for (const { pair, series, changes, p: tests } of tested) {
    const adjusted = adjustedAll.slice(offset, offset + series.length)
    offset += series.length
    const row = (
      metric: GateRowMetric,
      b: number[],
      c: number[],
      evidence: Pick<GateRow, 'p' | 'pAdjusted' | 'change' | 'tier'>,
      judged: ChangeJudgement,
    ): GateRow => {
      const bm = median(b)
      const cm = median(c)
      const { low: bl, high: bh } = medianInterval(b)
      const { low: cl, high: ch } = medianInterval(c)
      return {
        cell: pair.cell,
        phase: pair.phase,
        step: pair.step,
        label: pair.label,
        metric,
        ...(evidence.tier === undefined ? {} : { tier: evidence.tier }),
        baselineMedian: bm,
        candidateMedian: cm,
        baselineInterval: { low: bl, high: bh },
        candidateInterval: { low: cl, high: ch },
        changePct: metric === 'errorRate' ? cm - bm : bm === 0 ? 0 : ((cm - bm) / bm) * 100,
        ...(evidence.change ? { change: evidence.change } : {}),
        p: evidence.p,
        pAdjusted: evidence.pAdjusted,
        ...judged,
      }
    }
    series.forEach((one, i) => {
      const { change } = changes[i] as (typeof changes)[number]
      rows.push(
        row(
          one.metric,
          one.base,
          one.cand,
          { p: tests[i] ?? 1, pAdjusted: adjusted[i] ?? 1, change, ...(one.tier ? { tier: one.tier } : {}) },
          judgeTested(one, pair.paired, change, config, familySize),
        ),
      )
    })
    // the profile's gate metric errorRate is a percent of requests, as every error rate of bench is
    const errorPercent = pair.candidateErrorPercent
    const { warn, fail } = config.metrics.errorRate
    const errors = (group: Record<GateMetric, number>[]) => group.map((m) => m.errorRate)
    rows.push(
      row(
        'errorRate',
        errors(pair.baseline),
        errors(pair.candidate),
        { p: null, pAdjusted: null },
        errorPercent >= fail
          ? { verdict: 'fail', reason: `candidate error rate ${errorPercent.toPrecision(2)} % ≥ ${fail} %` }
          : errorPercent >= warn
            ? { verdict: 'warn', reason: `candidate error rate ${errorPercent.toPrecision(2)} % ≥ ${warn} %` }
            : { verdict: 'pass', reason: `below ${warn} %` },
      ),
    )
  }
  const verdict = rows.some((r) => r.verdict === 'fail')
    ? 'regression'
    : rows.some((r) => r.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass'
  return {
    baseline,
    candidate,
    verdict,
    family: config.family,
    familySize,
    level,
    ...(look ? { sequential: { ...look, alpha: config.alpha } } : {}),
    rows,
  }
}
