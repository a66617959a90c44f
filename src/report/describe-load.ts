import type { LoadSpec } from '../load/contract/load-spec.js'
import { formatInteger } from './format-number.js'

/** "100→500 req/s" or "2,000 req/s" */
export function describeRate(rate: { from: number; to: number }): string {
  return rate.from === rate.to
    ? `${formatInteger(rate.from)} req/s`
    : `${formatInteger(rate.from)}→${formatInteger(rate.to)} req/s`
}

/** One line for a planned load: what it sends and how. */
export function describeLoad(load: LoadSpec): string {
  const threads = `${load.generators} generator${load.generators === 1 ? '' : 's'}`
  if (load.loop === 'closed') {
    return `closed loop, ${load.connections} connections, pipelining ${load.pipelining}, ${threads}`
  }
  if (load.loop === 'websocket') {
    const { ramp, messages } = load.websocket
    const what = typeof messages === 'number' ? `${messages} messages/s each` : messages
    return `WebSocket, ${load.connections} connections at ${formatInteger(ramp)}/s, ${what}, ${threads}`
  }
  return `open loop, ${describeRate(load.rate)} ${load.spacing}, ≤${load.maxConnections} connections, ${threads}`
}

/** How the tables name a step: "c=50" (closed loop) or "1,000 req/s" (open loop). */
export function stepLabel(cell: {
  connections: number
  rate?: { from: number; to: number } | undefined
}): string {
  return cell.rate ? describeRate(cell.rate) : `c=${cell.connections}`
}
