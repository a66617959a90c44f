import { BenchError } from '../bench-error.js'

/**
 * A load generator failed (a thread threw or exited, or answered with a message the contract refuses): its
 * step's cell fails with this message, and the run goes on, as with a stack that dies mid-phase.
 */
export class GeneratorError extends BenchError {
  constructor(
    message: string,
    /**
     * The run cannot go on (an agent was lost: a step without it would be another experiment): its cell fails,
     * then the run stops there, every completed cell kept.
     */
    readonly endsRun = false,
  ) {
    super(
      'environment',
      message,
      endsRun
        ? 'the run stopped at this cell (the cells before it are kept): see why the agent went away, then run again'
        : 'a generator failing is a fault of bench or of this machine (memory, file descriptors): see the message; the run went on with the next cell',
    )
    this.name = 'GeneratorError'
  }
}
