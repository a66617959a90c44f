import type { CellStats, Verdict } from './cell-stats-schema.js'

/** Thresholds past which a number describes the generator or an overload more than the stack. */
export const validityLimits = {
  /** Event-loop utilisation of the busiest generator thread. */
  generatorBusy: 0.9,
  /** Open loop: achieved ÷ offered rate. */
  achievedShare: 0.95,
  /** Open loop: p99 of how late the generator dispatched requests, ms. */
  sendLagP99Ms: 5,
} as const

const percent = (x: number) => `${Number((x * 100).toFixed(1))} %`

/** `ok`, or `suspect` with each reason and its fix: can this cell's numbers be trusted as a measure of the stack? */
export function judgeCell(stats: CellStats): Verdict {
  const reasons: Verdict['reasons'] = []
  const generator = stats.generator
  if (generator && generator.eventLoopUtilization >= validityLimits.generatorBusy) {
    // each generator's own usage when recorded: name the busiest (older results: the process's CPU)
    const busiest = generator.generators?.reduce((a, b) => (b.busy > a.busy ? b : a))
    reasons.push({
      message: busiest
        ? `generator busy: ${busiest.name} at ${percent(busiest.busy)} busy (its CPU ${Math.round(busiest.cpuPercent)} % of a core; ${generator.generators?.length} generators, ${Math.round(generator.cpuPercent)} % together): results are client-bound`
        : `generator busy ${percent(generator.eventLoopUtilization)} of the time (CPU ${Math.round(generator.cpuPercent)} % over ${generator.threads} thread${generator.threads === 1 ? '' : 's'}): results are client-bound`,
      fix: 'use more generator threads (generators: N), fewer connections or a lower rate — or a machine with more cores',
    })
  }
  const open = stats.open
  if (open) {
    const share = open.targetRate > 0 ? stats.reqPerSec / open.targetRate : 1
    if (share < validityLimits.achievedShare) {
      reasons.push({
        message: `achieved ${Math.round(stats.reqPerSec)} of ${Math.round(open.targetRate)} req/s offered (${percent(share)})`,
        fix: 'the stack (or the generator) could not keep up: lower the rate; latency here describes an overloaded stack',
      })
    }
    const lag = open.sendLag.p99 ?? 0 // nothing sent: no lateness
    if (lag > validityLimits.sendLagP99Ms) {
      reasons.push({
        message: `the generator sent late: send lag p99 ${lag.toFixed(1)} ms`,
        fix: 'lower the rate or add generator threads (generators: N)',
      })
    }
  }
  return { status: reasons.length ? 'suspect' : 'ok', reasons }
}
