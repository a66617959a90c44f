import type { HistoryCheck, HistoryCheckOptions } from '../history-analysis/check-history.js'
import { formatGateValue, gateMetricNames } from './format-gate-value.js'
import { textTable } from './text-table.js'

/** bench history check: the change points found, then the verdict and the settings that found them. */
export function renderHistoryCheck(check: HistoryCheck, options: HistoryCheckOptions): string {
  const lines: string[] = []
  if (check.changes.length > 0) {
    const rows = check.changes.map((c) => [
      c.cell,
      gateMetricNames[c.metric],
      `${c.index + 1}: ${c.at.commit?.slice(0, 10) ?? ''} ${c.at.startedAt.slice(0, 10)}`.trim(),
      `${formatGateValue(c.metric, c.test.meanBefore)} → ${formatGateValue(c.metric, c.test.meanAfter)}`,
      `${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)} %`,
      c.test.p.toPrecision(2),
      `${c.regression ? 'REGRESSION' : 'improvement'}${c.recent ? ' (newest)' : ''}`,
    ])
    lines.push(textTable(['cell', 'metric', 'from run', 'mean before → after', 'change', 'p', 'kind'], rows))
  } else {
    lines.push('no change point in any series')
  }
  if (check.short.length > 0) {
    lines.push(
      `${check.short.length} series have fewer than 3 runs and were not tested (${check.short.slice(0, 3).join(', ')}${check.short.length > 3 ? ', …' : ''})`,
    )
  }
  lines.push(
    `change points by E-divisive means with a t-test: window ${options.window} runs, p < ${options.pValue}; a regression fails the check when it starts in the newest ${options.recent === 1 ? 'run' : `${options.recent} runs`}`,
  )
  const recent = check.changes.filter((c) => c.regression && c.recent)
  lines.push(
    recent.length > 0
      ? `history check: REGRESSION — ${recent.map((c) => `${c.cell} ${gateMetricNames[c.metric]} ${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)} %`).join('; ')}`
      : 'history check: PASS — no regression starts in the newest runs',
  )
  return lines.join('\n')
}
