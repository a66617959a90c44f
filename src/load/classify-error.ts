import type { ErrorClass } from '../samples/error-classes.js'

const connectCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND'])
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/** A failed request → its error class. */
export function classifyError(error: { code?: string; message?: string }): ErrorClass {
  if (error.code && connectCodes.has(error.code)) return 'connect'
  if (error.code && resetCodes.has(error.code)) return 'reset'
  if (error.code === 'ETIMEDOUT' || /timed out/i.test(error.message ?? '')) return 'timeout'
  return 'other'
}
