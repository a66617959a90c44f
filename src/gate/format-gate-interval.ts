import type { ChangeRatio } from './gate-result-schema.js'

/** A change ratio's interval as percentages, "−2.1 … +4.0 %"; "none" when there were too few trials for one. */
export function formatGateInterval(change: ChangeRatio | undefined): string {
  if (!change) return ''
  if (change.low === null || change.high === null) return 'none'
  const signed = (ratio: number) => {
    const percent = (ratio - 1) * 100
    return `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}`
  }
  return `${signed(change.low)} … ${signed(change.high)} %`
}
