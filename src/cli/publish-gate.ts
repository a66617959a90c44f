import { appendFileSync, writeFileSync } from 'node:fs'
import { BenchError } from '../bench-error.js'
import type { GateResult } from '../gate/gate-result-schema.js'
import { renderGateMarkdown } from '../report/render-gate-markdown.js'
import { renderGateTable } from '../report/render-gate-table.js'
import { renderJunit } from '../report/render-junit.js'
import { tableWidth } from './table-width.js'

export type GateOutcome = 'pass' | 'regression' | 'inconclusive'

/**
 * Prints the verdict table (fitted to the terminal unless `wide`), writes JUnit XML when asked, and appends
 * Markdown to $GITHUB_STEP_SUMMARY when set.
 */
export function publishGate(gate: GateResult, junitFile: string | undefined, wide?: boolean): GateOutcome {
  process.stdout.write(`\n${renderGateTable(gate, tableWidth(wide))}\n`)
  const write = (file: string, text: string, append: boolean, what: string) => {
    try {
      ;(append ? appendFileSync : writeFileSync)(file, text)
    } catch (error) {
      throw new BenchError(
        'environment',
        `cannot write ${what} ${file}: ${(error as NodeJS.ErrnoException).code}`,
        'choose a writable path',
      )
    }
  }
  if (junitFile) write(junitFile, renderJunit(gate), false, 'the JUnit file')
  const summary = process.env.GITHUB_STEP_SUMMARY
  if (summary) write(summary, renderGateMarkdown(gate), true, 'the step summary')
  return gate.verdict
}
