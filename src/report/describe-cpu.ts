import type { GeneratorUsage } from '../samples/sample-schemas.js'
import type { TierUsage } from '../stats/tier-usage-schema.js'

/** "nginx 38% 12MB / app 95% 60MB / gen 60%": CPU (% of one core) and peak RSS of each tier, and the generator's CPU. */
export function describeCpu(usage: {
  resources: readonly TierUsage[]
  generator?: GeneratorUsage | undefined
}): string {
  const parts = usage.resources.map(
    (r) => `${r.tier} ${Math.round(r.cpuPercent)}% ${Math.round(r.peakRssMb)}MB`,
  )
  if (usage.generator) parts.push(`gen ${Math.round(usage.generator.cpuPercent)}%`)
  return parts.join(' / ')
}
