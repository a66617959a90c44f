import { type CalibrationRow, calibrationPairs } from '../gate/calibrate-gate.js'
import { textTable } from './text-table.js'

const percent = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} %` : '—')
const whole = (value: number) => (Number.isFinite(value) ? `${value} %` : '—')

/**
 * bench gate --calibrate: per metric of each cell, its A/A noise, the smallest change the gate resolves at 6, 10
 * and 20 pairs, the thresholds suggested for this runner beside the profile's, and a note where they are tighter.
 */
export function renderCalibration(rows: readonly CalibrationRow[], pairs: number): string {
  const table = textTable(
    [
      'cell',
      'metric',
      'robust CV',
      'pair-ratio spread',
      ...calibrationPairs.map((n) => `resolves at ${n} pairs`),
      'suggested warn / fail',
      'profile warn / fail',
    ],
    rows.map((r) => [
      r.cell,
      r.metric,
      percent(r.robustCv),
      percent(r.pairSpread),
      ...calibrationPairs.map((n) => percent(r.resolvable[n])),
      `${whole(r.suggested.warn)} / ${whole(r.suggested.fail)}`,
      `${r.current.warn} % / ${r.current.fail} %`,
    ]),
  )
  const tight = rows
    .filter((r) => r.current.warn < r.resolvable[20])
    .map(
      (r) =>
        `${r.cell} ${r.metric}: this runner resolves ${percent(r.resolvable[20])} at 20 pairs; warn is set at ${r.current.warn} %, fail at ${r.current.fail} % — unchanged code will often be inconclusive`,
    )
  return [
    `A/A calibration from ${pairs} pairs of trials: the smallest change a gate resolves is where 95 % of resampled A/A gates' intervals end`,
    table,
    ...tight,
    'suggested: warn at the change resolvable at 10 pairs, fail 5/3 of it (gate.metrics in the profile)',
  ].join('\n')
}
