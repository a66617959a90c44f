/** One ping/pong with an agent: when the coordinator sent and received it (its clock), and the agent's time. */
export interface ClockExchange {
  sentAt: number
  receivedAt: number
  agentAt: number
}

/**
 * An agent's clock offset from the coordinator's (agent − coordinator, ms) from a few ping/pong exchanges (NTP's
 * way): each assumes the agent read its clock halfway through the round trip, so its error is at most half that
 * round trip; the exchange with the shortest round trip wins.
 */
export function estimateClockOffset(exchanges: readonly ClockExchange[]): {
  offsetMs: number
  roundTripMs: number
} {
  let best: ClockExchange | undefined
  for (const e of exchanges) if (!best || e.receivedAt - e.sentAt < best.receivedAt - best.sentAt) best = e
  if (!best) throw new Error('no clock exchange to estimate an offset from')
  return {
    offsetMs: best.agentAt - (best.sentAt + best.receivedAt) / 2,
    roundTripMs: best.receivedAt - best.sentAt,
  }
}
