import type { CapacitySearch } from '../capacity/capacity-result-schema.js'
import type { ResultSet } from '../results/results-file-schema.js'
import { compareShare } from './compare-share.js'
import { describeSlo } from './describe-slo.js'
import type { Finding } from './finding.js'
import { formatInteger, formatMs } from './format-number.js'
import { pairProxySearches } from './pair-proxy-searches.js'

/** The stack's limit lies above its max rate: the search stopped at the profile's ceiling or the generator's. */
const lowerBound = new Set<CapacitySearch['status']>(['at-limit', 'generator-bound'])
const rate = (s: CapacitySearch) =>
  `${lowerBound.has(s.status) ? '≥ ' : ''}${formatInteger(s.maxRate ?? 0)} req/s`
/** A search is cited by its row of the capacity table; a sweep by its row of the scaling table. */
const citeSearch = (s: CapacitySearch) => `capacity: ${s.stack}`

/**
 * What a bench capacity results file says, in words: which stack sustains the most within the SLO and by how
 * much, what each proxy costs in sustainable rate, where latency turns up, which searches found nothing, and
 * where each worker sweep peaks — each citing the table rows it comes from.
 */
export function findCapacity(results: ResultSet): Finding[] {
  const capacity = results.capacity
  if (!capacity) return []
  const findings: Finding[] = []
  const found = capacity.searches
    .filter((s) => s.maxRate !== null)
    .sort((a, b) => (b.maxRate ?? 0) - (a.maxRate ?? 0))
  const [best, next] = found
  if (best) {
    const atLeast = lowerBound.has(best.status) ? 'at least ' : ''
    const lead = next
      ? `, ${atLeast}${compareShare(best.maxRate ?? 0, next.maxRate ?? 0)} than ${next.stack} (${rate(next)})`
      : ''
    const bound = lowerBound.has(best.status) ? ` — a lower bound: ${best.note ?? best.status}` : ''
    findings.push({
      topic: 'fastest',
      text: `Within the SLO (${describeSlo(capacity.slo)}), ${best.stack} sustains the most: ${rate(best)}${lead}${bound}.`,
      cells: [best, ...(next ? [next] : [])].map(citeSearch),
    })
  }
  for (const { direct, proxied } of pairProxySearches(capacity.searches)) {
    findings.push({
      topic: 'proxy',
      text: `${proxied.topology.proxy} in front of ${direct.stack} (${proxied.stack}) ${(proxied.maxRate ?? 0) < (direct.maxRate ?? 0) ? 'costs' : 'adds'} sustainable rate: ${rate(proxied)} against ${rate(direct)} (${compareShare(proxied.maxRate ?? 0, direct.maxRate ?? 0)}).`,
      cells: [citeSearch(proxied), citeSearch(direct)],
    })
  }
  for (const s of capacity.searches) {
    if (s.knee && s.maxRate !== null && s.knee.rate < s.maxRate * 0.9) {
      findings.push({
        topic: 'latency',
        text: `${s.stack}'s p99 turns up at ${formatInteger(s.knee.rate)} req/s (${formatMs(s.knee.p99)} ms), ${Math.round((s.knee.rate / s.maxRate) * 100)} % of the ${rate(s)} it sustains.`,
        cells: [citeSearch(s)],
      })
    }
    if (s.maxRate === null) {
      findings.push({
        topic: s.status === 'failed' ? 'failed' : 'errors',
        text: `${s.stack}: ${s.status === 'failed' ? 'the search failed' : s.status === 'interrupted' ? 'the search was interrupted' : 'no rate passed the SLO'}${s.note ? ` (${s.note})` : ''}.`,
        cells: [citeSearch(s)],
      })
    }
  }
  for (const sweep of capacity.scaling) {
    const measured = sweep.points.filter((p) => p.reqPerSec !== null)
    const top = measured.reduce((a, p) => ((p.reqPerSec ?? 0) > (a?.reqPerSec ?? 0) ? p : a), measured[0])
    if (!top) continue
    const fit = sweep.fit
    const peak =
      fit?.peakN != null
        ? `; the USL fit (R² ${fit.rSquared.toFixed(3)}) peaks at ${fit.peakN.toFixed(1)} ${sweep.parameter}`
        : ''
    const efficient =
      sweep.efficientN !== null
        ? `; beyond ${sweep.efficientN}, one more adds under 5 % of what one ${sweep.parameter === 'workers' ? 'worker' : 'instance'} serves`
        : ''
    findings.push({
      topic: 'scaling',
      text: `${sweep.stack}: throughput peaks at ${top.n} ${sweep.parameter} measured (${formatInteger(top.reqPerSec ?? 0)} req/s)${peak}${efficient}.`,
      cells: measured.map((p) => `scaling: ${sweep.stack} n=${p.n}`),
    })
  }
  return findings
}
