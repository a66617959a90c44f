import type { LoadSpec } from '../plan/build-plan.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import type { ProgressSink } from './load-progress.js'

/** What a step loads: a base URL, and whether it is bench's own stack (whose TLS certificate is self-signed). */
export interface LoadTarget {
  baseUrl: string
  /** Accept a self-signed certificate: only for stacks bench launched itself. */
  selfSigned?: boolean
  /** Where it answers HTTP/2 in clear text (h2c), when not at baseUrl (nginx: a port of its own). */
  h2cUrl?: string
}

/**
 * Sends one step's load (closed or open loop) to a target and measures it; stops early when the signal aborts.
 * The threaded engine (threaded-engine.ts) is the one runs use; tests of the orchestration pass fakes.
 */
export interface LoadEngine {
  /** `onProgress`, when given, hears how the step is going about twice a second (all threads together). */
  run(
    target: LoadTarget,
    load: LoadSpec,
    signal: AbortSignal,
    onProgress?: ProgressSink,
  ): Promise<TrialSample>
}
