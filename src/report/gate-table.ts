import { formatGateInterval } from '../gate/format-gate-interval.js'
import type { GateResult } from '../gate/gate-result-schema.js'
import {
  describeGateFamily,
  describeSequential,
  formatGateValue,
  formatRowChange,
  gateLevel,
  gateRowName,
} from './format-gate-value.js'
import type { ReportTable } from './report-table.js'

/** The gate's verdict table: one row per gated metric per cell, the overall verdict as its note. */
export function gateTable(gate: GateResult): ReportTable {
  return {
    title: `gate: ${gate.candidate} against ${gate.baseline}`,
    head: [
      'cell',
      'metric',
      `baseline (${gate.baseline})`,
      `candidate (${gate.candidate})`,
      'change',
      `${gateLevel(gate)} CI`.trim(),
      'p (Holm)',
      'verdict',
      'why',
    ],
    rows: gate.rows.map((r) => [
      r.cell,
      gateRowName(r),
      formatGateValue(r.metric, r.baselineMedian),
      formatGateValue(r.metric, r.candidateMedian),
      formatRowChange(r),
      formatGateInterval(r.change),
      r.pAdjusted === null ? '' : r.pAdjusted.toPrecision(2),
      r.verdict.toUpperCase(),
      r.reason,
    ]),
    notes: [
      describeGateFamily(gate),
      describeSequential(gate),
      `gate verdict: ${gate.verdict.toUpperCase()}`,
    ].filter((note): note is string => note !== undefined),
  }
}
