import type { LoadSpec } from './load-spec.js'
import type { Share } from './share.js'
import { shareSeed } from './share-seed.js'

/** One generator's part of a step: its load, its place among all the step's generators, its seed. */
export interface LoadShare {
  load: LoadSpec
  share: Share
  seed: number
}

/** How many of n things numbered 0…n−1 are ≡ j (mod parts): dealing them round-robin. */
function dealt(n: number, parts: number, j: number): number {
  return Math.floor(n / parts) + (j < n % parts ? 1 : 0)
}

/**
 * A load (the whole step's, or share `within` of it) → `parts` shares with GLOBAL indices: sub-share j of share
 * {i, n} is share {i + n·j, n·parts} of the step. Connections (and an open loop's connection cap) are dealt
 * round-robin by global number — connection g belongs to share g mod of, so a share's local connection l is the
 * step's connection index + of·l, which also picks where it starts in the request mix; the rate (and a
 * WebSocket ramp) is divided; a uniform schedule is offset by index/of of an interval; the seed is
 * shareSeed(step seed, index). Splitting is therefore associative: 4 agents of 1 thread and 1 agent of 4
 * threads get the same shares. Closed and WebSocket loads never give a share no connection (fewer parts then).
 */
export function splitLoad(load: LoadSpec, parts: number, within: Share = { index: 0, of: 1 }): LoadShare[] {
  const n = load.loop === 'open' ? parts : Math.max(1, Math.min(parts, load.connections))
  const of = within.of * n
  const stepSeed = load.loop === 'open' ? load.seed : 0
  return Array.from({ length: n }, (_, j): LoadShare => {
    const index = within.index + within.of * j
    const common = { share: { index, of }, seed: shareSeed(stepSeed, index) }
    if (load.loop === 'closed')
      return { ...common, load: { ...load, connections: dealt(load.connections, n, j) } }
    if (load.loop === 'websocket')
      return {
        ...common,
        load: {
          ...load,
          connections: dealt(load.connections, n, j),
          websocket: { ...load.websocket, ramp: load.websocket.ramp / n },
        },
      }
    return {
      ...common,
      load: {
        ...load,
        rate: { from: load.rate.from / n, to: load.rate.to / n },
        maxConnections: Math.max(1, dealt(load.maxConnections, n, j)),
      },
    }
  })
}
