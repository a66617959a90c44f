import type { CapacityResult } from '../capacity/capacity-result-schema.js'

const latencyNames = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' } as const

/** "p99 ≤ 50 ms, errors ≤ 0.1 %" (the SLO's error rate in percent of requests), or "no SLO" when none is set. */
export function describeSlo(slo: CapacityResult['slo']): string {
  if (!slo) return 'no SLO'
  const parts: string[] = []
  for (const key of ['p50', 'p90', 'p99', 'p999'] as const) {
    const limit = slo[key]
    if (limit !== undefined) parts.push(`${latencyNames[key]} ≤ ${limit} ms`)
  }
  if (slo.errorPercent !== undefined) parts.push(`errors ≤ ${slo.errorPercent} %`)
  return parts.length === 0 ? 'no SLO' : parts.join(', ')
}
