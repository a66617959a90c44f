import type { LoadSpec } from '../plan/build-plan.js'

/** Divides n into `parts` whole shares that differ by at most one. */
function shares(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0))
}

/**
 * One step's load → one share per generator thread: connections dealt out (closed loop), or the rate divided
 * with each thread's schedule offset so that together they keep the step's spacing (open loop).
 */
export function splitLoad(load: LoadSpec): { load: LoadSpec; offset: number }[] {
  if (load.loop === 'closed') {
    const threads = Math.min(load.generators, load.connections)
    return shares(load.connections, threads).map((connections) => ({
      load: { ...load, connections },
      offset: 0,
    }))
  }
  if (load.loop === 'websocket') {
    const threads = Math.min(load.generators, load.connections)
    return shares(load.connections, threads).map((connections, i) => ({
      load: { ...load, connections, websocket: { ...load.websocket, ramp: load.websocket.ramp / threads } },
      offset: i / threads,
    }))
  }
  const threads = load.generators
  const caps = shares(load.maxConnections, threads)
  return caps.map((maxConnections, i) => ({
    load: {
      ...load,
      rate: { from: load.rate.from / threads, to: load.rate.to / threads },
      maxConnections: Math.max(1, maxConnections),
      seed: load.seed * 64 + i,
    },
    offset: i / threads,
  }))
}
