type Json = Record<string, unknown>

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObject) : [])

/** Version 2's errorRate, a fraction of requests, as version 3's errorPercent. */
function fractionToPercent(o: Json | undefined): void {
  if (!o || typeof o.errorRate !== 'number') return
  o.errorPercent = o.errorRate * 100
  delete o.errorRate
}

/**
 * A results file of an older schema version, as the current version holds it (a deep copy; other versions as
 * they are). Version 2 → 3: the cells', endpoints' and search steps' errorRate was a fraction of requests, now
 * errorPercent, a percent; the SLO's errorRate was a percent already, now named errorPercent.
 */
export function upgradeResultSet(data: unknown): unknown {
  if (!isObject(data) || data.schemaVersion !== 2) return data
  const upgraded = structuredClone(data)
  for (const cell of list(upgraded.cells)) {
    const stats = isObject(cell.stats) ? cell.stats : undefined
    fractionToPercent(stats)
    for (const endpoint of list(stats?.endpoints)) fractionToPercent(endpoint)
  }
  const capacity = isObject(upgraded.capacity) ? upgraded.capacity : undefined
  for (const search of list(capacity?.searches)) {
    for (const step of list(search.steps)) fractionToPercent(step)
    if (isObject(search.atMax)) fractionToPercent(search.atMax)
  }
  const slo = isObject(capacity?.slo) ? capacity.slo : undefined
  if (slo && typeof slo.errorRate === 'number') {
    slo.errorPercent = slo.errorRate
    delete slo.errorRate
  }
  upgraded.schemaVersion = 3
  return upgraded
}
