import type { TrialSample } from '../samples/sample-schemas.js'
import type { ClosedLoadSpec, OpenLoadSpec, WebSocketLoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import type { Share } from './contract/share.js'
import type { ProgressSink } from './load-progress.js'

/** Where a share stands: its place among the step's generators, its seed, and when the step starts. */
export interface ShareRun {
  share: Share
  seed: number
  /** The step's common start, in this thread's performance.now() ms. */
  startAt: number
}

/**
 * A share's sample; when its measured window began (ms after startAt); how late it began to load (ms after startAt:
 * its first connections' or its first send's, as this thread's event loop got to it); the time it slept to pace.
 */
export interface ShareResult {
  sample: TrialSample
  startOffsetMs: number
  lateMs: number
  sleptMs: number
}

type Loop<L> = (
  target: LoadTarget,
  load: L,
  run: ShareRun,
  signal: AbortSignal,
  progress?: ProgressSink,
) => Promise<ShareResult>

/** What one generator thread runs for its share of a step, per loop (absent: the engine cannot run it). */
export interface ThreadEngine {
  closed?: Loop<ClosedLoadSpec>
  open?: Loop<OpenLoadSpec>
  websocket?: Loop<WebSocketLoadSpec>
}
