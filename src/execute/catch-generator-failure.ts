import { GeneratorError } from '../load/generator-error.js'
import type { Failure } from '../stats/trial-record-schema.js'

/**
 * A step's load, with a failed generator turned into its cell's failure (the run goes on, as with a stack that
 * dies mid-phase, unless `endsRun`: an agent was lost); any other error still ends the run.
 */
export async function catchGeneratorFailure<T>(
  work: Promise<T>,
): Promise<{ value: T } | { failure: Failure; endsRun?: true }> {
  try {
    return { value: await work }
  } catch (error) {
    if (!(error instanceof GeneratorError)) throw error
    return {
      failure: { message: error.message, fix: error.fix, logTail: error.logTail },
      ...(error.endsRun ? { endsRun: true as const } : {}),
    }
  }
}
