import { describeRate } from '../plan/describe-rate.js'
import type { ResultSet } from '../results/results-file-schema.js'
import { wrapText } from './wrap-text.js'

/**
 * The failed cells, the suspect ones and the warnings, each with its cause, fix and the last lines the process
 * printed; with a `width` (a terminal's), each line broken at spaces to fit it.
 */
export function renderFailures(results: ResultSet, width?: number): string {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const cell of results.cells) {
    for (const failure of cell.failures) {
      const key = `${cell.stack}\n${failure.message}`
      if (seen.has(key)) continue
      seen.add(key)
      lines.push(`✗ ${cell.stack}: ${failure.message}`, `    fix: ${failure.fix}`)
      for (const line of failure.logTail.slice(-8)) lines.push(`    | ${line}`)
    }
  }
  for (const cell of results.cells) {
    for (const reason of cell.verdict?.reasons ?? []) {
      const step = cell.rate ? describeRate(cell.rate) : `c=${cell.connections}`
      lines.push(`! ${cell.stack} ${cell.phase} ${step} suspect: ${reason.message}`, `    fix: ${reason.fix}`)
    }
  }
  for (const warning of results.warnings)
    lines.push(`! ${warning.stack ? `${warning.stack}: ` : ''}${warning.message}`, `    fix: ${warning.fix}`)
  return (width === undefined ? lines : lines.flatMap((line) => wrapText(line, width, '      '))).join('\n')
}
