import { median, medianAbsoluteDeviation } from '../stats/simple-statistics.js'

/**
 * Robust coefficient of variation, %: 1.4826 × MAD ÷ median (equals the CV for normal data). This machine
 * class has one trial in ten come in 25–35 % low; a plain CV would call every such group noisy.
 */
export function robustCv(values: readonly number[]): number {
  const middle = median([...values])
  return values.length > 1 && middle !== 0
    ? ((1.4826 * medianAbsoluteDeviation([...values])) / Math.abs(middle)) * 100
    : 0
}
