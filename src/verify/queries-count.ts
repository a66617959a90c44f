/** TechEmpower's bounds for the `queries` parameter of /queries and /updates. */
const MIN_QUERIES = 1
const MAX_QUERIES = 500

/**
 * The rows a /queries or /updates request must answer, from its path as TechEmpower specifies: `queries`
 * missing, not an integer or below 1 → 1; above 500 → 500.
 */
export function queriesCount(path: string): number {
  const q = path.indexOf('?')
  const raw = new URLSearchParams(q === -1 ? '' : path.slice(q + 1)).get('queries')
  if (raw === null || !/^[+-]?\d+$/.test(raw)) return MIN_QUERIES
  return Math.min(MAX_QUERIES, Math.max(MIN_QUERIES, Number(raw)))
}
