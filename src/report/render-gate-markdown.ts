import type { GateResult } from '../results/result-set-schema.js'
import { formatGateChange, formatGateValue, gateMetricNames } from './format-gate-value.js'

const icon = { pass: '✅', warn: '⚠️', fail: '❌', inconclusive: '❔' } as const
const cellText = (text: string) => text.replace(/\|/g, '\\|')

/** The verdict as Markdown, for $GITHUB_STEP_SUMMARY or a pull-request comment. */
export function renderGateMarkdown(gate: GateResult): string {
  const headline = { pass: '✅ pass', regression: '❌ regression', inconclusive: '❔ inconclusive' }[
    gate.verdict
  ]
  const lines = [
    `### bench gate: ${headline}`,
    '',
    `\`${cellText(gate.candidate)}\` against \`${cellText(gate.baseline)}\``,
    '',
    '| cell | metric | baseline | candidate | change | p (Holm) | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...gate.rows.map(
      (r) =>
        `| ${cellText(r.cell)} | ${gateMetricNames[r.metric]} | ${formatGateValue(r.metric, r.baselineMedian)} | ${formatGateValue(r.metric, r.candidateMedian)} | ${formatGateChange(r.metric, r.changePct)} | ${r.pAdjusted === null ? '' : r.pAdjusted.toPrecision(2)} | ${icon[r.verdict]} ${r.verdict}: ${cellText(r.reason)} |`,
    ),
    '',
  ]
  return lines.join('\n')
}
