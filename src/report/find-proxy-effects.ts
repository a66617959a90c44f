import { stepLabel } from '../plan/step-label.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { cellP99 } from './cell-p99.js'
import { citeCell } from './cite-cell.js'
import { compareShare } from './compare-share.js'
import type { Finding } from './finding.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'
import { noiseShare } from './noise-share.js'
import { pairProxiedStacks } from './pair-proxied-stacks.js'

type Measured = CellRecord & { stats: CellStats }
const measured = (c: CellRecord | undefined): c is Measured => c?.stats !== undefined

/**
 * What the proxy costs or saves, per phase: each proxied stack against the same app alone, step by step —
 * req/s in closed loop, p99 in open loop (both are offered the same rate), and the errors when there are any.
 */
export function findProxyEffects(results: ResultSet): Finding[] {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  return pairProxiedStacks(results).flatMap(({ proxy, proxied, direct }) =>
    phases.flatMap((phase): Finding[] => {
      const cells = results.cells.filter((c) => c.phase === phase)
      const steps = [...new Set(cells.map((c) => c.step))].sort((a, b) => a - b)
      const pairs = steps.flatMap((step) => {
        const p = cells.find((c) => c.stack === proxied && c.step === step)
        const d = cells.find((c) => c.stack === direct && c.step === step)
        // open loop compares p99: a cell that answered nothing has none to compare
        const latencies =
          p?.loop !== 'open' ||
          (p.stats && d?.stats && cellP99(p.stats) !== null && cellP99(d.stats) !== null)
        return measured(p) && measured(d) && latencies ? [{ p, d }] : []
      })
      if (pairs.length === 0) return []
      const open = pairs[0]?.p.loop === 'open'
      // closed loop: proxied ÷ direct req/s; open loop: direct ÷ proxied p99 (above 1: the proxy is better)
      const ratios = pairs.map(({ p, d }) =>
        open
          ? (cellP99(d.stats) ?? 0) / Math.max(1e-6, cellP99(p.stats) ?? 0)
          : p.stats.reqPerSec / Math.max(1e-9, d.stats.reqPerSec),
      )
      const errorsDiffer = pairs.some(
        ({ p, d }) => Math.abs(p.stats.errorPercent - d.stats.errorPercent) >= 1,
      )
      const errorsBetter = pairs.every(({ p, d }) => p.stats.errorPercent <= d.stats.errorPercent)
      const what = open ? 'latency' : 'throughput'
      const effect =
        errorsDiffer && errorsBetter
          ? `spares the errors ${direct} has alone`
          : errorsDiffer
            ? `adds errors ${direct} does not have alone`
            : ratios.every((r) => r < 1 - noiseShare)
              ? `costs ${what}`
              : ratios.every((r) => r > 1 + noiseShare)
                ? `improves ${what}`
                : ratios.every((r) => Math.abs(r - 1) < noiseShare)
                  ? `changes ${what} by less than the noise (${Math.round(noiseShare * 100)} %)`
                  : `costs ${what} at some steps and improves it at others`
      const clauses = pairs.map(({ p, d }) => {
        const at = pairs.length > 1 ? `${stepLabel(p)}: ` : ''
        const rate = `${formatInteger(p.stats.reqPerSec)} vs ${formatInteger(d.stats.reqPerSec)} req/s${open ? '' : ` (${compareShare(p.stats.reqPerSec, d.stats.reqPerSec)})`}`
        const p99 = `p99 ${formatMs(cellP99(p.stats))} vs ${formatMs(cellP99(d.stats))} ms`
        const errors =
          p.stats.errorCount + d.stats.errorCount > 0
            ? `, errors ${formatPercent(p.stats.errorPercent)} vs ${formatPercent(d.stats.errorPercent)} %`
            : ''
        return `${at}${rate}, ${p99}${errors}`
      })
      return [
        {
          topic: 'proxy',
          text: `Phase "${phase}": ${proxy} in front of ${direct} (${proxied} vs ${direct}) ${effect}: ${clauses.join('; ')}.`,
          cells: pairs.flatMap(({ p, d }) => [citeCell(p), citeCell(d)]),
        },
      ]
    }),
  )
}
