import type { GateConfig } from '../profile/schema.js'
import { medianAbsoluteDeviation } from '../stats/simple-statistics.js'
import { type GateCellValues, gateSeries } from './judge-cells.js'
import { resolvableChange } from './resolvable-change.js'
import { robustCv } from './robust-cv.js'

/** The pairs a calibration reports what the gate resolves at: the first look of trials: auto, 10, its last. */
export const calibrationPairs = [6, 10, 20] as const

/** What one metric of one cell does on this runner when nothing changes (A/A). */
export interface CalibrationRow {
  cell: string
  /** "p50", "CPU/request (app)". */
  metric: string
  /** The profile's series key and tier, to match it to its thresholds. */
  key: keyof GateConfig['metrics']
  /** Robust CV of the trials, %, the larger of the two sides'. */
  robustCv: number
  /** Spread of the per-pair ratios: 1.4826 × MAD of the log-ratios, as %. */
  pairSpread: number
  /** The smallest change resolvable at 6, 10 and 20 pairs, % (Infinity: no interval at that many). */
  resolvable: Record<(typeof calibrationPairs)[number], number>
  /** Thresholds for this runner: warn where unchanged code still passes at 10 pairs, fail 5/3 of it. */
  suggested: { warn: number; fail: number }
  /** The profile's thresholds now. */
  current: { warn: number; fail: number }
}

/**
 * A/A calibration: for every metric of every cell the gate judges by interval, its noise (robust CV, the spread of
 * the per-pair ratios), the smallest change a gate resolves at 6, 10 and 20 pairs (with the family and alpha the
 * profile sets), and thresholds for this runner: warn at the change resolvable at 10 pairs (rounded up to a whole
 * %), fail 5/3 of it (at least warn + 1), as the defaults 3 and 5 are.
 */
export function calibrateGate(cells: readonly GateCellValues[], config: GateConfig): CalibrationRow[] {
  const series = cells.map(gateSeries)
  const familySize =
    config.family === 'gate'
      ? series.reduce((sum, s) => sum + s.length, 0)
      : Math.max(...series.map((s) => s.length))
  const level = 1 - config.alpha / familySize
  return cells.flatMap((cell, c) =>
    (series[c] ?? []).map((one) => {
      const logRatios = one.cand.map((v, i) => Math.log(v / (one.base[i] as number)))
      const resolvable = Object.fromEntries(
        calibrationPairs.map((n) => [n, resolvableChange(one.base, one.cand, n, level, cell.paired)]),
      ) as CalibrationRow['resolvable']
      const warn = Math.max(1, Math.ceil(resolvable[10]))
      const { warn: currentWarn, fail: currentFail } = config.metrics[one.metric]
      return {
        cell: cell.cell,
        metric: one.name,
        key: one.metric,
        robustCv: Math.max(robustCv(one.base), robustCv(one.cand)),
        pairSpread: logRatios.length > 1 ? 1.4826 * medianAbsoluteDeviation(logRatios) * 100 : 0,
        resolvable,
        suggested: { warn, fail: Math.max(warn + 1, Math.ceil((warn * 5) / 3)) },
        current: { warn: currentWarn, fail: currentFail },
      }
    }),
  )
}
