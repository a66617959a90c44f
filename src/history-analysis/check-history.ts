import type { GateMetric } from '../profile/schema.js'
import { findChangePoints } from './find-change-points.js'
import type { HistoryPoint, HistorySeries } from './history-series.js'
import type { TTestResult } from './student-t-test.js'

export interface HistoryCheckOptions {
  /** Points in each sliding window E-divisive searches. */
  window: number
  /** The t-test's p-value a change point must be below. */
  pValue: number
  /** A regression whose change point is among the newest this many runs of its series fails the check. */
  recent: number
}

export interface HistoryChange {
  cell: string
  metric: GateMetric
  /** The first run after the change. */
  at: HistoryPoint
  /** Its position in the series, 0 = the oldest run. */
  index: number
  /** The mean after ÷ the mean before, − 1, in %. */
  changePct: number
  test: TTestResult
  /** Worse: fewer req/s, or more latency or errors. */
  regression: boolean
  /** Among the newest `recent` runs of its series. */
  recent: boolean
}

export interface HistoryCheck {
  changes: HistoryChange[]
  /** regression: a recent change point is a regression. */
  verdict: 'pass' | 'regression'
  /** Series too short to test (fewer than 3 runs). */
  short: string[]
}

/**
 * Every series' change points (E-divisive means with a t-test, as Hunter and Apache Otava find them), each told as
 * a regression or an improvement; the check fails when a regression starts among the newest runs.
 */
export function checkHistory(series: readonly HistorySeries[], options: HistoryCheckOptions): HistoryCheck {
  const changes: HistoryChange[] = []
  const short: string[] = []
  for (const s of series) {
    if (s.points.length < 3) {
      short.push(`${s.cell} ${s.metric}`)
      continue
    }
    const values = s.points.map((p) => p.value)
    for (const point of findChangePoints(values, options)) {
      const { meanBefore, meanAfter } = point.test
      const changePct = meanBefore === 0 ? 0 : (meanAfter / meanBefore - 1) * 100
      changes.push({
        cell: s.cell,
        metric: s.metric,
        at: s.points[point.index] as HistoryPoint,
        index: point.index,
        changePct,
        test: point.test,
        regression: s.metric === 'reqPerSec' ? meanAfter < meanBefore : meanAfter > meanBefore,
        recent: point.index >= s.points.length - options.recent,
      })
    }
  }
  return { changes, verdict: changes.some((c) => c.regression && c.recent) ? 'regression' : 'pass', short }
}
