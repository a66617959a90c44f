import type { LoadSpec } from '../plan/build-plan.js'
import type { TrialSample } from './trial-sample.js'

/** Sends one closed-loop load to a base URL and measures it; stops early when the signal aborts. */
export interface LoadDriver {
  run(baseUrl: string, load: LoadSpec, signal: AbortSignal): Promise<TrialSample>
}
