import type { GateResult, GateRow, GateRowMetric } from '../gate/gate-result-schema.js'
import { formatInteger, formatMs } from './format-number.js'

/** A gated metric's value with its unit: "12,345 req/s", "4.56 ms", "0.12 %". */
export function formatGateValue(metric: GateRowMetric, value: number): string {
  if (metric === 'cpuPerRequest') return `${formatMs(value)} ms CPU`
  if (metric === 'reqPerSec') return `${formatInteger(value)} req/s`
  if (metric === 'errorRate') return `${Number(value.toPrecision(2))} %`
  return `${formatMs(value)} ms`
}

/** "+4.2 %" (error rate: percentage points, "+0.10 pp"). */
function formatGateChange(metric: GateRowMetric, change: number): string {
  const sign = change >= 0 ? '+' : ''
  return metric === 'errorRate' ? `${sign}${change.toFixed(2)} pp` : `${sign}${change.toFixed(1)} %`
}

/** The change a row's verdict is read from: the Hodges–Lehmann ratio as a percentage, else the median change. */
export function formatRowChange(row: GateRow): string {
  return formatGateChange(row.metric, row.change ? (row.change.ratio - 1) * 100 : row.changePct)
}

/** "98.3 %": the level of the gate's intervals (the same for every row), for a column head. */
export function gateLevel(gate: GateResult): string {
  const level = gate.level ?? gate.rows.find((r) => r.change)?.change?.level
  return level === undefined ? '' : `${Number((level * 100).toFixed(1))} %`
}

/** "intervals at 99.4 %: alpha spread over the 9 metrics of the whole gate", when the result says. */
export function describeGateFamily(gate: GateResult): string | undefined {
  if (gate.familySize === undefined || gate.family === undefined) return undefined
  const over = gate.family === 'gate' ? 'of the whole gate' : 'of each cell'
  return `intervals at ${gateLevel(gate)}: alpha spread over the ${gate.familySize} tested metrics ${over}`
}

/** "trials: auto — read at 9 trials a side (looks at 6 to 20), spending alpha 0.0034 at this look". */
export function describeSequential(gate: GateResult): string | undefined {
  const look = gate.sequential
  if (!look) return undefined
  return `trials: auto — read at ${look.trials} trials a side (looks at ${look.minTrials} to ${look.maxTrials}), spending alpha ${Number(look.alpha.toPrecision(2))} at this look`
}

export const gateMetricNames: Record<GateRowMetric, string> = {
  reqPerSec: 'req/s',
  p50: 'p50',
  p99: 'p99',
  errorRate: 'error rate',
  cpuPerRequest: 'CPU/request',
}

/** "p50", "CPU/request (app)": a row's metric as the tables name it. */
export const gateRowName = (row: Pick<GateRow, 'metric' | 'tier'>) =>
  `${gateMetricNames[row.metric]}${row.tier === undefined ? '' : ` (${row.tier})`}`
