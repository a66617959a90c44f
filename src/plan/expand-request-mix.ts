import type { PlannedRequest } from '../load/contract/load-spec.js'
import type { RequestSpec } from '../profile/schema.js'

/**
 * Weighted requests → the cyclic sequence each connection sends, spread by smooth weighted round-robin
 * (nginx's algorithm): weights 3 and 1 give a a b a, not a a a b.
 */
export function expandRequestMix(requests: readonly RequestSpec[]): PlannedRequest[] {
  const divisor = requests.reduce((g, r) => gcd(g, r.weight), 0)
  const weights = requests.map((r) => r.weight / divisor)
  const total = weights.reduce((a, b) => a + b, 0)
  const current = weights.map(() => 0)
  const sequence: PlannedRequest[] = []
  for (let n = 0; n < total; n++) {
    let best = 0
    weights.forEach((w, i) => {
      current[i] = (current[i] ?? 0) + w
      if ((current[i] ?? 0) > (current[best] ?? 0)) best = i
    })
    current[best] = (current[best] ?? 0) - total
    const { weight: _weight, ...request } = requests[best] as RequestSpec
    sequence.push({ ...request, endpoint: best })
  }
  return sequence
}

/**
 * What each of a phase's requests is called in the per-endpoint rows: "GET /db", and "GET /db (2)" for a second
 * request of the same method and path (another body or headers).
 */
export function endpointLabels(requests: readonly RequestSpec[]): string[] {
  const seen = new Map<string, number>()
  return requests.map((r) => {
    const label = `${r.method} ${r.path}`
    const n = (seen.get(label) ?? 0) + 1
    seen.set(label, n)
    return n === 1 ? label : `${label} (${n})`
  })
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}
