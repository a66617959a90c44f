import type {
  GeneratorShareUsage,
  IdleOutcome,
  SlowClientOutcome,
  TrialSample,
} from '../samples/sample-schemas.js'
import type { SideTask } from './contract/generator-messages.js'
import type { LoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import type { ProgressSink } from './load-progress.js'

/**
 * Sends one step's load (closed or open loop) to a target and measures it; stops early when the signal aborts.
 * A generator that fails (throws, exits, or answers with an invalid message) rejects with a GeneratorError:
 * the step's cell fails with its message and the run goes on. The threaded engine (threaded-engine.ts) is the
 * one runs use; tests of the orchestration pass fakes.
 */
export interface LoadEngine {
  /** `onProgress`, when given, hears how the step is going about twice a second (all threads together). */
  run(
    target: LoadTarget,
    load: LoadSpec,
    signal: AbortSignal,
    onProgress?: ProgressSink,
  ): Promise<TrialSample>
  /**
   * Holds a side load (slow clients, an idle crowd) beside the steps to come, on a generator of its own: resolves
   * once it is in place; stop() ends it and tells how it went and what it cost its generator.
   */
  startSide(target: LoadTarget, side: SideTask['side']): Promise<RunningSide>
}

/** A side load in place: stop() ends it. */
export interface RunningSide {
  stop(): Promise<{ slowClients?: SlowClientOutcome; idle?: IdleOutcome; usage: GeneratorShareUsage }>
}
