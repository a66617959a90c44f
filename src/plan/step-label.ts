import { describeRate } from './describe-rate.js'

/**
 * How a step is named, in the tables, the gate's cell names and the history: "c=50" (closed loop) or
 * "1,000 req/s" (open loop). It lives in plan/, the owner of steps, so that gate/, history-analysis/ and
 * report/ all read it from below.
 */
export function stepLabel(cell: {
  connections: number
  rate?: { from: number; to: number } | undefined
}): string {
  return cell.rate ? describeRate(cell.rate) : `c=${cell.connections}`
}
