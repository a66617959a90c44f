import { formatGateInterval } from './format-gate-interval.js'
import type { ChangeRatio, GateRow } from './gate-result-schema.js'

export type ChangeJudgement = Pick<GateRow, 'verdict' | 'reason'>

/** "+4.2 %", "−3.0 %" from a ratio. */
const percent = (ratio: number) => {
  const change = (ratio - 1) * 100
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} %`
}

/** "98.3 % CI −2.1 … +4.0 %". */
const describeInterval = (change: ChangeRatio) =>
  `${Number((change.level * 100).toFixed(1))} % CI ${formatGateInterval(change)}`

/**
 * The verdict of one metric from the confidence interval of its change (the thresholds are % of the baseline,
 * in the direction that is worse): fail when the whole interval lies past the fail threshold; pass when all of it
 * lies short of the warn threshold; warn when it lies short of fail but reaches past warn; inconclusive when it
 * straddles the fail threshold, for then the trials cannot tell a regression from none.
 */
export function judgeChange(
  change: ChangeRatio,
  higherIsBetter: boolean,
  thresholds: { warn: number; fail: number },
  name: string,
): ChangeJudgement {
  const { low, high } = change
  if (low === null || high === null) throw new Error('judgeChange needs an interval')
  const worse = (ratio: number) => (higherIsBetter ? 1 - ratio : ratio - 1) * 100
  const least = Math.min(worse(low), worse(high))
  const most = Math.max(worse(low), worse(high))
  const interval = describeInterval(change)
  const sign = higherIsBetter ? '−' : '+'
  if (least >= thresholds.fail) {
    return {
      verdict: 'fail',
      reason: `${name} worse by ${worse(change.ratio).toFixed(1)} % (${interval}): all of it past fail at ${sign}${thresholds.fail} %`,
    }
  }
  if (most < thresholds.warn) {
    const estimate = worse(change.ratio)
    return {
      verdict: 'pass',
      reason: `${estimate < 0 ? `better by ${(-estimate).toFixed(1)} %` : `change ${percent(change.ratio)}`} (${interval}): short of warn at ${sign}${thresholds.warn} %`,
    }
  }
  if (most < thresholds.fail) {
    return {
      verdict: 'warn',
      reason: `${name} may be worse by up to ${most.toFixed(1)} % (${interval}): past warn at ${sign}${thresholds.warn} %, short of fail at ${sign}${thresholds.fail} %`,
    }
  }
  return {
    verdict: 'inconclusive',
    reason: `${name} ${percent(change.ratio)}, but the ${interval} straddles fail at ${sign}${thresholds.fail} %: the trials cannot tell a regression from none`,
  }
}
