import type { EngineName } from '../profile/schema.js'
import type { ThreadEngine } from './thread-engine.js'
import { waitUntil } from './wait-until.js'

/**
 * The engines by name, loaded on first use inside the generator thread (autocannon's module is not loaded
 * by a run that does not use it). A new engine is one module and one line here (and its loops in
 * profile/schema.ts's engineLoops). The registry imports the loops, never the reverse (their types are in
 * thread-engine.ts).
 */
export const threadEngines: Record<EngineName, () => Promise<ThreadEngine>> = {
  bench: async () => {
    const { runClosedLoop } = await import('./closed-loop.js')
    const { runOpenLoop } = await import('./open-loop.js')
    const { runWebSocketLoop } = await import('./ws/websocket-loop.js')
    return { closed: runClosedLoop, open: runOpenLoop, websocket: runWebSocketLoop }
  },
  autocannon: async () => {
    const { runAutocannon } = await import('./autocannon-engine.js')
    return {
      closed: async (target, load, run, signal, progress) => {
        await waitUntil(run.startAt, signal)
        const startOffsetMs = performance.now() - run.startAt
        return {
          sample: await runAutocannon(target, load, signal, progress),
          startOffsetMs,
          lateMs: startOffsetMs,
          sleptMs: 0,
        }
      },
    }
  },
}
