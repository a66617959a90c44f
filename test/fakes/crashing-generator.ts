/**
 * A generator thread that crashes on its first task (an uncaught exception, so the thread dies): what the
 * threaded engine must turn into its step's failure. Test-only: passed to a GeneratorPool in place of
 * src/load/generator-worker.ts.
 */
import { parentPort } from 'node:worker_threads'

parentPort?.postMessage({ type: 'ready' }) // as the real thread does once its engine is loaded
parentPort?.on('message', () => {
  throw new Error('generator crashed on purpose')
})
