import { performance } from 'node:perf_hooks'

/**
 * A `bench agent`'s clock, epoch ms: the high-resolution one, shifted by BENCH_AGENT_CLOCK_OFFSET_MS (a test hook
 * only: it plays a machine whose clock is off, so the tests can show the coordinator's offset estimate undoes it).
 */
export function agentClock(env = process.env): { now: () => number; shiftMs: number } {
  const shiftMs = Number(env.BENCH_AGENT_CLOCK_OFFSET_MS ?? 0) || 0
  return { now: () => performance.timeOrigin + performance.now() + shiftMs, shiftMs }
}
