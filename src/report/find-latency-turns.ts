import { stepLabel } from '../plan/step-label.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { cellP99 } from './cell-p99.js'
import { citeCell } from './cite-cell.js'
import type { Finding } from './finding.js'
import { formatInteger, formatMs } from './format-number.js'
import { noiseShare } from './noise-share.js'

type Measured = CellRecord & { stats: CellStats }
const measured = (c: CellRecord): c is Measured => c.stats !== undefined

/** p99 "turns up" at the first step where it at least doubles from the step before, by 1 ms or more. */
const latencyTurn = { factor: 2, minMs: 1 } as const

/**
 * Along each ladder (a phase of several steps), where each stack's p99 turns up, and what its throughput did
 * meanwhile: still growing, or flat — the extra connections (or rate) only queue.
 */
export function findLatencyTurns(results: ResultSet): Finding[] {
  const phases = [...new Set(results.cells.map((c) => c.phase))]
  return phases.flatMap((phase): Finding[] => {
    const cells = results.cells.filter((c) => c.phase === phase).filter(measured)
    if (new Set(cells.map((c) => c.step)).size < 2) return []
    const stacks = [...new Set(cells.map((c) => c.stack))]
    const steady: Measured[][] = []
    const turns = stacks.flatMap((stack): Finding[] => {
      const ladder = cells
        .filter((c) => c.stack === stack && cellP99(c.stats) !== null) // nothing answered: no latency to turn
        .sort((a, b) => a.step - b.step)
      if (ladder.length < 2) return []
      const at = ladder.findIndex((c, i) => {
        const before = ladder[i - 1]
        if (!before) return false
        const [was, is] = [cellP99(before.stats) ?? 0, cellP99(c.stats) ?? 0]
        return is >= was * latencyTurn.factor && is - was >= latencyTurn.minMs
      })
      const cell = ladder[at]
      const before = ladder[at - 1]
      if (!cell || !before) {
        steady.push(ladder)
        return []
      }
      const [was, is] = [before.stats.reqPerSec, cell.stats.reqPerSec]
      const meanwhile = cell.rate
        ? `achieving ${formatInteger(was)} → ${formatInteger(is)} req/s`
        : is > was * (1 + noiseShare)
          ? `while req/s still grew ${Math.round((is / was - 1) * 100)} % (${formatInteger(was)} → ${formatInteger(is)})`
          : `while req/s ${is < was * (1 - noiseShare) ? 'fell' : 'stayed flat'} (${formatInteger(was)} → ${formatInteger(is)}): the extra load only queues`
      const times = (cellP99(cell.stats) ?? 0) / Math.max(1e-6, cellP99(before.stats) ?? 0)
      return [
        {
          topic: 'latency',
          text: `Phase "${phase}": ${stack}'s p99 turns up between ${stepLabel(before)} and ${stepLabel(cell)}, ${formatMs(cellP99(before.stats))} → ${formatMs(cellP99(cell.stats))} ms (×${times < 10 ? times.toFixed(1) : Math.round(times)}), ${meanwhile}.`,
          cells: [citeCell(before), citeCell(cell)],
        },
      ]
    })
    if (steady.length > 0) {
      const first = steady[0]?.[0]
      const last = steady[0]?.at(-1)
      const span = first && last ? ` from ${stepLabel(first)} to ${stepLabel(last)}` : ''
      turns.push({
        topic: 'latency',
        text: `Phase "${phase}": p99 never doubles from one step to the next${span} for ${steady.map((l) => `${l[0]?.stack} (${l.map((c) => formatMs(cellP99(c.stats))).join(' → ')} ms)`).join(', ')}.`,
        cells: steady.flatMap((l) => l.map(citeCell)),
      })
    }
    return turns
  })
}
