import type { ErrorCounts } from './sample-schemas.js'

/** The classes of failed requests other than a non-2xx status. */
export type ErrorClass = Exclude<keyof ErrorCounts, 'status'>

/** Every error class, in the order reports name them. */
export const errorClasses = [
  'connect',
  'timeout',
  'reset',
  'streamReset',
  'goaway',
  'other',
] as const satisfies readonly ErrorClass[]

export function emptyErrorCounts(): ErrorCounts {
  return { connect: 0, timeout: 0, reset: 0, streamReset: 0, goaway: 0, other: 0, status: {} }
}
