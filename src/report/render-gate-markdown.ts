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
import { markdownCell } from './markdown-cell.js'

const icon = { pass: '✅', warn: '⚠️', fail: '❌', inconclusive: '❔' } as const

/** The verdict as Markdown, for $GITHUB_STEP_SUMMARY or a pull-request comment. */
export function renderGateMarkdown(gate: GateResult): string {
  const headline = { pass: '✅ pass', regression: '❌ regression', inconclusive: '❔ inconclusive' }[
    gate.verdict
  ]
  const lines = [
    `### bench gate: ${headline}`,
    '',
    `\`${markdownCell(gate.candidate)}\` against \`${markdownCell(gate.baseline)}\``,
    '',
    `| cell | metric | baseline | candidate | change | ${`${gateLevel(gate)} CI`.trim()} | p (Holm) | verdict |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...gate.rows.map(
      (r) =>
        `| ${markdownCell(r.cell)} | ${gateRowName(r)} | ${formatGateValue(r.metric, r.baselineMedian)} | ${formatGateValue(r.metric, r.candidateMedian)} | ${formatRowChange(r)} | ${formatGateInterval(r.change)} | ${r.pAdjusted === null ? '' : r.pAdjusted.toPrecision(2)} | ${icon[r.verdict]} ${r.verdict}: ${markdownCell(r.reason)} |`,
    ),
    '',
    ...[describeGateFamily(gate), describeSequential(gate)].flatMap((note) => (note ? [`${note}.`, ''] : [])),
  ]
  return lines.join('\n')
}
