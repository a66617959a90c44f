import type { GateResult } from '../results/result-set-schema.js'
import { formatGateChange, formatGateValue, gateMetricNames } from './format-gate-value.js'
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
    '| cell | metric | baseline | candidate | change | p (Holm) | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...gate.rows.map(
      (r) =>
        `| ${markdownCell(r.cell)} | ${gateMetricNames[r.metric]} | ${formatGateValue(r.metric, r.baselineMedian)} | ${formatGateValue(r.metric, r.candidateMedian)} | ${formatGateChange(r.metric, r.changePct)} | ${r.pAdjusted === null ? '' : r.pAdjusted.toPrecision(2)} | ${icon[r.verdict]} ${r.verdict}: ${markdownCell(r.reason)} |`,
    ),
    '',
  ]
  return lines.join('\n')
}
