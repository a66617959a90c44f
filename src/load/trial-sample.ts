import type { ErrorCounts } from '../results/result-set-schema.js'

export type {
  EndpointSample,
  ErrorCounts,
  OpenLoopSample,
  TrialSample,
} from '../results/result-set-schema.js'

export function emptyErrorCounts(): ErrorCounts {
  return { connect: 0, timeout: 0, reset: 0, other: 0, status: {} }
}

/** The classes of failed requests other than a non-2xx status. */
export type ErrorClass = Exclude<keyof ErrorCounts, 'status'>
