import type { GateResult } from '../results/result-set-schema.js'
import { formatGateChange, formatGateValue, gateMetricNames } from './format-gate-value.js'
import { textTable } from './text-table.js'

/** The gate's verdict table: one row per gated metric per cell, then the overall verdict. */
export function renderGateTable(gate: GateResult): string {
  const rows = gate.rows.map((r) => [
    r.cell,
    gateMetricNames[r.metric],
    formatGateValue(r.metric, r.baselineMedian),
    formatGateValue(r.metric, r.candidateMedian),
    formatGateChange(r.metric, r.changePct),
    r.pAdjusted === null ? '' : r.pAdjusted.toPrecision(2),
    r.verdict.toUpperCase(),
    r.reason,
  ])
  const table = textTable(
    [
      'cell',
      'metric',
      `baseline (${gate.baseline})`,
      `candidate (${gate.candidate})`,
      'change',
      'p (Holm)',
      'verdict',
      'why',
    ],
    rows,
  )
  return `gate: ${gate.candidate} against ${gate.baseline}\n${table}\ngate verdict: ${gate.verdict.toUpperCase()}`
}
