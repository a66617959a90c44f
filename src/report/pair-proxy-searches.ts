import type { CapacitySearch } from '../capacity/capacity-result-schema.js'

export interface ProxyPair {
  direct: CapacitySearch
  proxied: CapacitySearch
}

/**
 * Each proxied search with the direct search of the same app and worker count, both with one instance — so that
 * the only difference is the proxy. Searches without a max rate (none, failed) have nothing to compare.
 */
export function pairProxySearches(searches: readonly CapacitySearch[]): ProxyPair[] {
  const single = searches.filter((s) => s.topology.instances === 1 && s.maxRate !== null)
  return single.flatMap((proxied) => {
    if (proxied.topology.proxy === null || proxied.topology.app === null) return []
    const direct = single.find(
      (s) =>
        s.topology.proxy === null &&
        s.topology.app === proxied.topology.app &&
        s.topology.workers === proxied.topology.workers,
    )
    return direct ? [{ direct, proxied }] : []
  })
}
