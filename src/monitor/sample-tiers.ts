import { execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { type ProcessEntry, readProcessTable } from '../stacks/process-table.js'
import type { Tier } from '../stacks/tier.js'
import type { TierUsage } from '../stats/tier-usage-schema.js'

function sysconf(name: string, fallback: number): number {
  try {
    return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback
  } catch {
    return fallback
  }
}

let kernelUnits: { clockTicks: number; pageBytes: number } | undefined
/** The kernel's clock ticks per second and page size, asked (getconf) once, when a sample first needs them. */
function units(): { clockTicks: number; pageBytes: number } {
  kernelUnits ??= { clockTicks: sysconf('CLK_TCK', 100), pageBytes: sysconf('PAGESIZE', 4096) }
  return kernelUnits
}

/**
 * Samples each tier's CPU and resident memory (every live process of its groups, workers included) until
 * stopped: CPU % over the whole window (of one core), RSS at its highest sample.
 */
export function startTierSampler(tiers: readonly Tier[], intervalMs = 250): { stop(): TierUsage[] } {
  if (tiers.length > 0) units() // now, before the load starts, never in the middle of it
  const started = performance.now()
  /** Per pid seen: its tier, and its CPU ticks when first and last seen (a process that exits keeps its share). */
  const seen = new Map<number, { tier: string; first: number; last: number }>()
  const peakRss = new Map<string, number>(tiers.map((t) => [t.tier, 0]))
  const startRss = new Map<string, number>()
  const sample = () => {
    const byGroup = new Map<number, ProcessEntry[]>()
    const byParent = new Map<number, ProcessEntry[]>()
    for (const p of readProcessTable()) {
      if (p.state === 'Z') continue
      byGroup.set(p.pgid, [...(byGroup.get(p.pgid) ?? []), p])
      byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p])
    }
    /** The groups' members and all their descendants, each once. */
    const treeOf = (pgids: readonly number[]): ProcessEntry[] => {
      const found = new Map<number, ProcessEntry>()
      const queue = pgids.flatMap((g) => byGroup.get(g) ?? [])
      for (let p = queue.pop(); p; p = queue.pop()) {
        if (found.has(p.pid)) continue
        found.set(p.pid, p)
        queue.push(...(byParent.get(p.pid) ?? []))
      }
      return [...found.values()]
    }
    for (const { tier, pgids } of tiers) {
      const members = treeOf(pgids)
      for (const p of members) {
        const entry = seen.get(p.pid)
        if (entry) entry.last = p.cpuTicks
        else seen.set(p.pid, { tier, first: p.cpuTicks, last: p.cpuTicks })
      }
      const rss = members.reduce((sum, p) => sum + p.rssPages * units().pageBytes, 0)
      peakRss.set(tier, Math.max(peakRss.get(tier) ?? 0, rss))
      if (!startRss.has(tier)) startRss.set(tier, rss)
    }
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      const seconds = (performance.now() - started) / 1000
      return tiers.map(({ tier }) => {
        const ticks = [...seen.values()]
          .filter((e) => e.tier === tier)
          .reduce((sum, e) => sum + e.last - e.first, 0)
        return {
          tier,
          cpuPercent: seconds > 0 ? (ticks / units().clockTicks / seconds) * 100 : 0,
          cpuSeconds: ticks / units().clockTicks,
          peakRssMb: (peakRss.get(tier) ?? 0) / 2 ** 20,
          startRssMb: (startRss.get(tier) ?? 0) / 2 ** 20,
        }
      })
    },
  }
}
