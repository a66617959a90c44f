import type { Slo } from '../profile/schema.js'
import type { SloRecord } from './capacity-result-schema.js'

/** The profile's SLO as the results hold it: its error limit (slo.errorRate, percent of requests) as errorPercent. */
export function sloRecord(slo: Slo): SloRecord {
  const { errorRate, ...latency } = slo
  return { ...latency, ...(errorRate !== undefined ? { errorPercent: errorRate } : {}) }
}
