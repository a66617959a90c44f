/**
 * What went wrong, by whose doing — the CLI maps it to an exit code:
 * input: the profile or the flags; environment: this machine (missing binary, port taken, unwritable file);
 * stack: a stack that would not start, stay up or answer as expected.
 */
export type ErrorKind = 'input' | 'environment' | 'stack'

/** A failure the user can fix: one short message naming the cause, and the fix. */
export class BenchError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly fix: string,
    /** The last lines a process printed, when they tell the cause. */
    readonly logTail: string[] = [],
  ) {
    super(message)
    this.name = 'BenchError'
  }
}
