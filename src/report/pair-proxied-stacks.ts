import type { ResultSet } from '../results/results-file-schema.js'

export interface ProxiedPair {
  proxy: string
  /** The stack with the proxy in front … */
  proxied: string
  /** … and the same app, alone. */
  direct: string
}

interface Topology {
  proxy: string | undefined
  /** One entry per app instance: the app's name in the profile. */
  apps: string
}

/** What a stack was, from the processes bench started for it: `nginx`, `app "node"` (`#1`, `#2` per instance). */
function topologies(results: ResultSet): Map<string, Topology> {
  const byStack = new Map<string, Topology>()
  for (const run of results.stackRuns) {
    if (byStack.has(run.stack) || run.processes.length === 0) continue
    const names = run.processes.map((p) => p.name)
    const proxy = names.find((n) => n === 'nginx' || n === 'haproxy')
    const apps = names.flatMap((n) => /^app "(.+)"/.exec(n)?.[1] ?? []).sort()
    byStack.set(run.stack, { proxy, apps: apps.join(',') })
  }
  return byStack
}

/**
 * Each stack with a proxy in front of one app instance, with the stack that runs the same app alone — found
 * from the processes each started, and by name: the direct stack is the one named like the proxied stack without
 * its proxy (nginx-node → node), or else the only one whose name the proxied stack's contains (nginx-gunicorn-4 →
 * gunicorn-4). A stack that adds more than a proxy (nginx-static, nginx-cache) names no direct stack and is left
 * to its own findings.
 */
export function pairProxiedStacks(results: ResultSet): ProxiedPair[] {
  const all = topologies(results)
  return [...all.entries()].flatMap(([proxied, t]): ProxiedPair[] => {
    if (!t.proxy || t.apps === '' || t.apps.includes(',')) return []
    const directs = [...all.entries()].filter(([, d]) => !d.proxy && d.apps === t.apps).map(([name]) => name)
    const byName = proxied.replace(/^(nginx|haproxy)[-_.]?/, '')
    const contained = directs.filter((d) => proxied.includes(d))
    const direct = directs.find((d) => d === byName) ?? (contained.length === 1 ? contained[0] : undefined)
    return direct ? [{ proxy: t.proxy, proxied, direct }] : []
  })
}
