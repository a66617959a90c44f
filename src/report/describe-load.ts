import type { LoadSpec } from '../load/contract/load-spec.js'
import { describeRate } from '../plan/describe-rate.js'
import { formatInteger } from './format-number.js'

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
