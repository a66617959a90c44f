import { stepLabel } from '../plan/step-label.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { cellP99 } from './cell-p99.js'
import { citeCell } from './cite-cell.js'
import { compareShare } from './compare-share.js'
import type { Finding } from './finding.js'
import { formatInteger, formatMs } from './format-number.js'
import { noiseShare } from './noise-share.js'

type Measured = CellRecord & { stats: CellStats }

const measured = (c: CellRecord): c is Measured => c.status === 'ok' && c.stats !== undefined
const suspect = (c: CellRecord) => (c.verdict?.status === 'suspect' ? ', suspect' : '')

/** An open-loop cell's p99; nothing answered (no p99) ranks it last. */
const slowness = (c: Measured) => cellP99(c.stats) ?? Number.POSITIVE_INFINITY

/**
 * Per phase, the best stack at each step and by how much it leads the next: the most req/s in closed loop, the
 * lowest p99 (from the intended send) in open loop, where every stack is offered the same rate.
 */
export function findFastest(results: ResultSet): Finding[] {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  return phases.flatMap((phase): Finding[] => {
    const cells = results.cells.filter((c) => c.phase === phase).filter(measured)
    const open = cells[0]?.loop === 'open'
    const steps = [...new Set(cells.map((c) => c.step))].sort((a, b) => a - b)
    const better = (a: Measured, b: Measured) =>
      open ? slowness(a) - slowness(b) : b.stats.reqPerSec - a.stats.reqPerSec
    const leads = steps.flatMap((step) => {
      const ranked = cells.filter((c) => c.step === step).sort(better)
      const [first, second] = ranked
      return first && second ? [{ first, second }] : []
    })
    if (leads.length === 0) return []
    const wins = new Map<string, number>()
    for (const { first } of leads) wins.set(first.stack, (wins.get(first.stack) ?? 0) + 1)
    const [leader, count] = [...wins.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number]
    const clauses = leads.map(({ first, second }) => {
      const [a, b] = open
        ? [slowness(second), slowness(first)]
        : [first.stats.reqPerSec, second.stats.reqPerSec]
      const close = Math.abs(a / b - 1) < noiseShare ? ' — within the noise' : ''
      const at = leads.length > 1 ? `at ${stepLabel(first)} ` : ''
      const who = first.stack === leader ? '' : `${first.stack} `
      return open
        ? `${at}${who}p99 ${formatMs(cellP99(first.stats))} ms${suspect(first)}, against ${formatMs(cellP99(second.stats))} ms for ${second.stack}${suspect(second)}${close}`
        : `${at}${who}${formatInteger(first.stats.reqPerSec)} req/s${suspect(first)}, ${compareShare(a, b)} than ${second.stack} (${formatInteger(second.stats.reqPerSec)}${suspect(second)})${close}`
    })
    const what = open ? 'has the lowest p99' : 'is the fastest'
    const where = leads.length > 1 ? ` at ${count} of ${leads.length} steps` : ''
    return [
      {
        topic: 'fastest',
        text: `Phase "${phase}": ${leader} ${what}${where}: ${clauses.join('; ')}.`,
        cells: leads.flatMap(({ first, second }) => [citeCell(first), citeCell(second)]),
      },
    ]
  })
}
