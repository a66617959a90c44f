import { median, medianAbsoluteDeviation } from 'simple-statistics'
import type { GateConfig, GateMetric } from '../profile/schema.js'
import type { GateResult, GateRow, TrialSample } from '../results/result-set-schema.js'
import { countErrors } from '../stats/compute-cell-stats.js'
import { trialMetrics } from '../stats/trial-metrics.js'
import { detectTrend } from './detect-trend.js'
import { holm } from './holm.js'
import { mannWhitneyU, smallestPossibleP } from './mann-whitney-u.js'
import { medianInterval } from './median-interval.js'
import type { GatePair } from './pair-cells.js'

/** Failed requests ÷ all requests over every trial, in %. */
function pooledErrorRate(samples: readonly TrialSample[]): number {
  const failed = samples.reduce((sum, s) => sum + countErrors(s.errors), 0)
  const total = samples.reduce((sum, s) => sum + s.successes, 0) + failed
  return total === 0 ? 0 : (failed / total) * 100
}

/** Metrics judged by a rank test; the error rate is judged against an absolute limit instead. */
const testedMetrics = ['reqPerSec', 'p50', 'p99'] as const
const higherIsBetter: Record<GateMetric, boolean> = {
  reqPerSec: true,
  p50: false,
  p99: false,
  errorRate: false,
}
const names: Record<GateMetric, string> = {
  reqPerSec: 'req/s',
  p50: 'p50',
  p99: 'p99',
  errorRate: 'error rate',
}

/**
 * Robust coefficient of variation, %: 1.4826 × MAD ÷ median (equals the CV for normal data). This machine
 * class has one trial in ten come in 25–35 % low; a plain CV would call every such group noisy, while the rank
 * test itself shrugs one outlier off.
 */
function robustCv(values: readonly number[]): number {
  const middle = median([...values])
  return values.length > 1 && middle !== 0
    ? ((1.4826 * medianAbsoluteDeviation([...values])) / Math.abs(middle)) * 100
    : 0
}

/** Why a group of trials is too noisy to judge, if it is. */
function noise(values: readonly number[], maxCv: number, group: string): string | undefined {
  const spread = robustCv(values)
  if (spread > maxCv) return `${group} too noisy (robust CV ${spread.toFixed(1)} % > ${maxCv} %)`
  const rho = detectTrend(values)
  if (rho !== undefined) return `${group} drifts with trial order (Spearman ρ ${rho.toFixed(2)})`
  return undefined
}

const fmt = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`

/**
 * Why these trials are too noisy to judge, if they are: by the spread of each group, and — for paired trials,
 * run side by side — also by the spread of their candidate ÷ baseline ratios, in which drift of the machine
 * cancels. The ratio doubles noise that is not shared (tail percentiles), so paired data can be judged if
 * either view of it is steady. Unpaired trials (against a stored result) have only the first.
 */
function noiseOf(
  base: readonly number[],
  cand: readonly number[],
  paired: boolean,
  maxCv: number,
): string | undefined {
  const groups = noise(base, maxCv, 'baseline') ?? noise(cand, maxCv, 'candidate')
  if (!paired || !groups) return groups
  const ratios = noise(
    cand.map((c, i) => c / (base[i] || 1)),
    maxCv,
    'candidate ÷ baseline, trial by trial,',
  )
  return ratios ? `${groups}; ${ratios}` : undefined
}

function judgeTested(
  metric: (typeof testedMetrics)[number],
  base: number[],
  cand: number[],
  paired: boolean,
  pAdjusted: number,
  config: GateConfig,
  testsInCell: number,
): Pick<GateRow, 'verdict' | 'reason'> {
  const b = median(base)
  const c = median(cand)
  const change = b === 0 ? 0 : ((c - b) / b) * 100
  const worse = higherIsBetter[metric] ? -change : change
  const { warn, fail, maxCv = 10 } = config.metrics[metric]
  const significant = pAdjusted < config.alpha
  const noisy = noiseOf(base, cand, paired, maxCv)
  const bi = medianInterval(base)
  const ci = medianInterval(cand)
  const disjoint = bi.high < ci.low || ci.high < bi.low
  const reachable = smallestPossibleP(base.length, cand.length) * testsInCell < config.alpha
  if (!reachable) {
    return {
      verdict: 'inconclusive',
      reason: `too few trials: ${base.length} against ${cand.length} cannot reach p < ${config.alpha} after Holm's correction — raise trials (5 or more)`,
    }
  }
  if (significant && worse >= fail && (!noisy || disjoint)) {
    return {
      verdict: 'fail',
      reason: `${names[metric]} worse by ${worse.toFixed(1)} % (fail at ${fail} %), p ${pAdjusted.toPrecision(2)}`,
    }
  }
  if (noisy)
    return { verdict: 'inconclusive', reason: `${noisy} — raise trials or duration, or quieten the machine` }
  if (significant && worse >= warn) {
    return {
      verdict: 'warn',
      reason: `${names[metric]} worse by ${worse.toFixed(1)} % (warn at ${warn} %), p ${pAdjusted.toPrecision(2)}`,
    }
  }
  // a change twice the fail threshold that the test cannot confirm is too big to wave through; a smaller one
  // within the trials' (checked) noise is what chance does to medians of a few trials
  if (!significant && worse >= 2 * fail) {
    return {
      verdict: 'inconclusive',
      reason: `median worse by ${worse.toFixed(1)} % but not significant (p ${pAdjusted.toPrecision(2)}) — raise trials`,
    }
  }
  if (significant)
    return {
      verdict: 'pass',
      reason: worse < 0 ? `better by ${(-worse).toFixed(1)} %` : `changed ${fmt(change)}, within ${warn} %`,
    }
  return { verdict: 'pass', reason: 'no significant change' }
}

/**
 * Baseline vs candidate, cell by cell. req/s, p50 and p99 regress only if a two-sided Mann-Whitney U test is
 * significant after Holm's correction across the cell's tested metrics AND the median got worse by more than
 * the practical threshold; the error rate fails past an absolute limit. Too few trials, too much noise or a
 * drift across trial order make a metric inconclusive — never a silent pass.
 */
export function evaluateGate(
  pairs: readonly GatePair[],
  config: GateConfig,
  baseline: string,
  candidate: string,
): GateResult {
  const rows: GateRow[] = []
  for (const pair of pairs) {
    const base = pair.baseline.map(trialMetrics)
    const cand = pair.candidate.map(trialMetrics)
    const values = (metric: GateMetric, group: typeof base) => group.map((m) => m[metric])
    const tests = testedMetrics.map((metric) => mannWhitneyU(values(metric, base), values(metric, cand)))
    const adjusted = holm(tests.map((t) => t.p))
    const row = (
      metric: GateMetric,
      p: number | null,
      pAdjusted: number | null,
      judged: Pick<GateRow, 'verdict' | 'reason'>,
    ): GateRow => {
      const b = values(metric, base)
      const c = values(metric, cand)
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
        baselineMedian: bm,
        candidateMedian: cm,
        baselineInterval: { low: bl, high: bh },
        candidateInterval: { low: cl, high: ch },
        changePct: metric === 'errorRate' ? cm - bm : bm === 0 ? 0 : ((cm - bm) / bm) * 100,
        p,
        pAdjusted,
        ...judged,
      }
    }
    testedMetrics.forEach((metric, i) => {
      const p = tests[i]?.p ?? 1
      const pAdj = adjusted[i] ?? 1
      rows.push(
        row(
          metric,
          p,
          pAdj,
          judgeTested(
            metric,
            values(metric, base),
            values(metric, cand),
            pair.paired,
            pAdj,
            config,
            testedMetrics.length,
          ),
        ),
      )
    })
    // pooled over the candidate's trials: one trial of nothing but 502s must not hide behind a median
    const errorRate = pooledErrorRate(pair.candidate)
    const { warn, fail } = config.metrics.errorRate
    rows.push(
      row(
        'errorRate',
        null,
        null,
        errorRate >= fail
          ? { verdict: 'fail', reason: `candidate error rate ${errorRate.toPrecision(2)} % ≥ ${fail} %` }
          : errorRate >= warn
            ? { verdict: 'warn', reason: `candidate error rate ${errorRate.toPrecision(2)} % ≥ ${warn} %` }
            : { verdict: 'pass', reason: `below ${warn} %` },
      ),
    )
  }
  const verdict = rows.some((r) => r.verdict === 'fail')
    ? 'regression'
    : rows.some((r) => r.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass'
  return { baseline, candidate, verdict, rows }
}
