import { escapeMarkup } from '../escape-markup.js'
import type { GateResult } from '../gate/gate-result-schema.js'
import { formatGateValue, formatRowChange, gateRowName } from './format-gate-value.js'

/**
 * JUnit XML for CI test tabs: one testcase per gated metric per cell. A fail is a <failure>; inconclusive is
 * <skipped> with its reason (neither a pass nor a fail); warn passes with its reason in system-out.
 */
export function renderJunit(gate: GateResult): string {
  const failures = gate.rows.filter((r) => r.verdict === 'fail').length
  const skipped = gate.rows.filter((r) => r.verdict === 'inconclusive').length
  const cases = gate.rows.map((r) => {
    const name = escapeMarkup(`${r.cell} ${gateRowName(r)}`)
    const detail = escapeMarkup(
      `${formatGateValue(r.metric, r.baselineMedian)} → ${formatGateValue(r.metric, r.candidateMedian)} (${formatRowChange(r)}): ${r.reason}`,
    )
    const body =
      r.verdict === 'fail'
        ? `<failure message="${detail}"/>`
        : r.verdict === 'inconclusive'
          ? `<skipped message="inconclusive: ${detail}"/>`
          : `<system-out>${r.verdict}: ${detail}</system-out>`
    return `    <testcase classname="bench.gate" name="${name}">${body}</testcase>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bench gate" tests="${gate.rows.length}" failures="${failures}" skipped="${skipped}">
  <testsuite name="${escapeMarkup(`${gate.candidate} vs ${gate.baseline}`)}" tests="${gate.rows.length}" failures="${failures}" skipped="${skipped}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`
}
