import { evaluateGate } from '../gate/evaluate-gate.js'
import { pairResultSets } from '../gate/pair-cells.js'
import { gateSchema } from '../profile/schema.js'
import { readResultSet } from '../results/read-result-set.js'
import { type GateOutcome, publishGate } from './publish-gate.js'

export interface GateArgs {
  current: string
  baseline: string
  junit?: string | undefined
}

/** bench gate <current.json> --baseline <baseline.json>: the current result against a stored one. */
export function gateCommand(args: GateArgs): GateOutcome {
  const current = readResultSet(args.current, 'current result')
  const baseline = readResultSet(args.baseline, 'baseline')
  const config = current.gateConfig ?? gateSchema.parse({})
  const gate = evaluateGate(pairResultSets(current, baseline), config, args.baseline, args.current)
  return publishGate(gate, args.junit)
}
