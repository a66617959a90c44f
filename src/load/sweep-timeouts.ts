import { performance } from 'node:perf_hooks'
import type { LoadConnection } from './load-connection.js'

/**
 * Times requests out without a timer per request: a few times per timeout, every connection whose oldest
 * unanswered request is older than `timeoutMs` is closed, its pending requests counted as timeouts.
 */
export function sweepTimeouts(connections: Iterable<LoadConnection>, timeoutMs: number): NodeJS.Timeout {
  return setInterval(
    () => {
      const now = performance.now()
      for (const c of connections) if (now - c.oldestSentAt > timeoutMs) c.close('timeout')
    },
    Math.min(250, timeoutMs / 4),
  )
}
