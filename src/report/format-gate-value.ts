import type { GateMetric } from '../profile/schema.js'
import { formatInteger, formatMs } from './format-number.js'

/** A gated metric's value with its unit: "12,345 req/s", "4.56 ms", "0.12 %". */
export function formatGateValue(metric: GateMetric, value: number): string {
  if (metric === 'reqPerSec') return `${formatInteger(value)} req/s`
  if (metric === 'errorRate') return `${Number(value.toPrecision(2))} %`
  return `${formatMs(value)} ms`
}

/** "+4.2 %" (error rate: percentage points, "+0.10 pp"). */
export function formatGateChange(metric: GateMetric, change: number): string {
  const sign = change >= 0 ? '+' : ''
  return metric === 'errorRate' ? `${sign}${change.toFixed(2)} pp` : `${sign}${change.toFixed(1)} %`
}

export const gateMetricNames: Record<GateMetric, string> = {
  reqPerSec: 'req/s',
  p50: 'p50',
  p99: 'p99',
  errorRate: 'error rate',
}
