import { energySplitter } from './energy-splitter.js'
import { studentTTest, type TTestResult } from './student-t-test.js'

export interface ChangePoint {
  /** The first point after the change. */
  index: number
  /** Student's t-test of the points since the previous change point against those up to the next. */
  test: TTestResult
}

export interface ChangePointOptions {
  /** Points in each sliding window that E-divisive searches (Hunter's fixed-size windows). */
  window: number
  /** A change point is kept when its t-test's p-value is below this. */
  pValue: number
}

/** The test of a change point between its neighbours (or the ends of the series). */
function testAt(series: readonly number[], indexes: readonly number[], i: number): ChangePoint {
  const index = indexes[i] as number
  const from = i > 0 ? (indexes[i - 1] as number) : 0
  const to = i + 1 < indexes.length ? (indexes[i + 1] as number) : series.length
  return { index, test: studentTTest(series.slice(from, index), series.slice(index, to)) }
}

/** E-divisive within one window: split the stretch whose best split is most different, while the t-test agrees. */
function divide(series: readonly number[], pValue: number): number[] {
  const split = energySplitter(series)
  const found: number[] = []
  for (;;) {
    const bounds = [0, ...found, series.length]
    let best: { index: number; qhat: number; from: number; to: number } | undefined
    for (let i = 0; i + 1 < bounds.length; i++) {
      const from = bounds[i] as number
      const to = bounds[i + 1] as number
      const candidate = to - from >= 2 ? split(from, to) : undefined
      if (candidate && (best === undefined || candidate.qhat > best.qhat)) best = { ...candidate, from, to }
    }
    if (!best) return found
    const test = studentTTest(series.slice(best.from, best.index), series.slice(best.index, best.to))
    if (test.p > pValue) return found
    found.push(best.index)
    found.sort((a, b) => a - b)
  }
}

/**
 * Change points of a series, as Hunter (Fleming et al., "Hunter: Using Change Point Detection to Hunt for
 * Performance Regressions", ICPE 2023) and Apache Otava find them:
 *
 * 1. Split: E-divisive runs in overlapping windows of `window` points (each starting half a window on, or at the
 *    last change point found), with Student's t-test in place of the permutation test, at a relaxed p-value
 *    (10 × pValue below 0.05) — the "weak" change points.
 * 2. Merge: the weakest point (highest p) is dropped while it is not below `pValue`, and its neighbours are tested
 *    again between their new neighbours, until every change point left is significant.
 */
export function findChangePoints(series: readonly number[], options: ChangePointOptions): ChangePoint[] {
  const { window, pValue } = options
  if (window < 2) throw new Error('findChangePoints needs a window of at least 2')
  const weakP = pValue < 0.05 ? pValue * 10 : pValue < 0.5 ? pValue * 2 : pValue
  const weak = new Set<number>()
  for (let start = 0; start < series.length; ) {
    const end = Math.min(start + window, series.length)
    const found = divide(series.slice(start, end), weakP).map((i) => i + start)
    for (const index of found) weak.add(index)
    start = Math.max(found.at(-1) ?? 0, start + Math.floor(window / 2))
  }
  const indexes = [...weak].sort((a, b) => a - b)
  let points = indexes.map((_, i) => testAt(series, indexes, i))
  while (points.length > 0) {
    const weakest = points.reduce((w, p, i) => (p.test.p > (points[w] as ChangePoint).test.p ? i : w), 0)
    if ((points[weakest] as ChangePoint).test.p < pValue) break
    const left = points.map((p) => p.index).filter((_, i) => i !== weakest)
    points = points.filter((_, i) => i !== weakest)
    for (const i of [weakest - 1, weakest])
      if (i >= 0 && i < points.length) points[i] = testAt(series, left, i)
  }
  return points
}
