import { stepLabel } from '../plan/step-label.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { citeCell } from './cite-cell.js'
import { describeErrors } from './describe-errors.js'
import type { Finding } from './finding.js'
import { formatInteger, formatPercent } from './format-number.js'

/** A suspect reason without its numbers: "generator busy", "achieved under the offered rate". */
function reasonKind(message: string): string {
  if (message.startsWith('generator busy')) return 'generator busy'
  if (message.startsWith('achieved')) return 'achieved under 95 % of the offered rate'
  if (message.includes('sent late')) return 'the generator sent late'
  return message
}

/** Group cells by stack × phase, in the order they come. */
function byStackPhase(cells: readonly CellRecord[]): CellRecord[][] {
  const groups = new Map<string, CellRecord[]>()
  for (const c of cells) {
    const key = `${c.stack}\u0000${c.phase}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  return [...groups.values()]
}

/**
 * What went wrong, so that no one reads past it: errors that appeared (per stack and phase, by class), cells
 * that failed (a stack that would not start, a process that died), and suspect cells, whose numbers describe
 * the generator or an overload more than the stack.
 */
export function findProblems(results: ResultSet): Finding[] {
  const findings: Finding[] = []
  const withErrors = results.cells.filter((c) => (c.stats?.errorCount ?? 0) > 0)
  for (const group of byStackPhase(withErrors)) {
    const first = group[0] as CellRecord
    const steps = group.map((c) => {
      const s = c.stats
      if (!s) return ''
      const at = group.length > 1 || results.cells.some((o) => o.phase === c.phase && o.step !== c.step)
      return `${at ? `${stepLabel(c)}: ` : ''}${formatPercent(s.errorPercent)} % of requests failed (${describeErrors(s.errors)}), ${formatInteger(s.reqPerSec)} req/s served`
    })
    findings.push({
      topic: 'errors',
      text: `Errors: ${first.stack} in phase "${first.phase}" — ${steps.join('; ')}.`,
      cells: group.map(citeCell),
    })
  }
  for (const group of byStackPhase(results.cells.filter((c) => c.status === 'failed'))) {
    const first = group[0] as CellRecord
    const why = [...new Set(group.flatMap((c) => c.failures.map((f) => f.message)))]
    findings.push({
      topic: 'failed',
      text: `Failed: ${first.stack} in phase "${first.phase}" (${group.map(stepLabel).join(', ')}): ${why.join('; ') || 'no measurement'}.`,
      cells: group.map(citeCell),
    })
  }
  const suspect = results.cells.filter((c) => c.status === 'ok' && c.verdict?.status === 'suspect')
  if (suspect.length > 0) {
    const reasons = [
      ...new Set(suspect.flatMap((c) => c.verdict?.reasons.map((r) => reasonKind(r.message)) ?? [])),
    ]
    findings.push({
      topic: 'suspect',
      text: `Suspect: ${suspect.length} cell${suspect.length === 1 ? '' : 's'} (${suspect.map(citeCell).join(', ')}) ${suspect.length === 1 ? 'is' : 'are'} marked suspect (${reasons.join('; ')}): ${suspect.length === 1 ? 'its' : 'their'} numbers describe the generator or an overload as much as the stack. The tables give each reason and its fix.`,
      cells: suspect.map(citeCell),
    })
  }
  return findings
}
