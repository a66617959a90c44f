import type { ClosedLoadSpec, OpenLoadSpec, WebSocketLoadSpec } from '../plan/build-plan.js'
import type { EngineName } from '../profile/schema.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import type { LoadTarget } from './load-engine.js'
import type { ProgressSink } from './load-progress.js'

/** A thread's sample, with the time it slept on purpose to pace sends (not busy, though its event loop was). */
export type ThreadSample = TrialSample & { sleptMs?: number }

/** What one generator thread runs for its share of a step, per loop (absent: the engine cannot run it). */
export interface ThreadEngine {
  closed?: (
    target: LoadTarget,
    load: ClosedLoadSpec,
    signal: AbortSignal,
    progress?: ProgressSink,
  ) => Promise<TrialSample>
  open?: (
    target: LoadTarget,
    load: OpenLoadSpec,
    offset: number,
    signal: AbortSignal,
    progress?: ProgressSink,
  ) => Promise<ThreadSample>
  websocket?: (
    target: LoadTarget,
    load: WebSocketLoadSpec,
    offset: number,
    signal: AbortSignal,
    progress?: ProgressSink,
  ) => Promise<TrialSample>
}

/**
 * The engines by name, loaded on first use inside the generator thread (autocannon's module is not loaded
 * by a run that does not use it). A new engine is one module and one line here (and its loops in
 * profile/schema.ts's engineLoops).
 */
export const threadEngines: Record<EngineName, () => Promise<ThreadEngine>> = {
  bench: async () => {
    const [closed, open, websocket] = await Promise.all([
      import('./closed-loop.js'),
      import('./open-loop.js'),
      import('./ws/websocket-loop.js'),
    ])
    return { closed: closed.runClosedLoop, open: open.runOpenLoop, websocket: websocket.runWebSocketLoop }
  },
  autocannon: async () => ({ closed: (await import('./autocannon-engine.js')).runAutocannon }),
}
