import { performance } from 'node:perf_hooks'

/** Resolves at `at` (performance.now() ms), or at once when it has passed or the signal aborts. */
export function waitUntil(at: number, signal: AbortSignal): Promise<void> {
  const ms = at - performance.now()
  if (ms <= 0 || signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
