import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { mergeSamples } from '../samples/merge-samples.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import type { GeneratorTask } from './generator-worker.js'
import type { LoadEngine } from './load-engine.js'
import type { LoadProgress } from './load-progress.js'
import { splitLoad } from './split-load.js'
import type { ThreadSample } from './thread-engines.js'

const workerFile = new URL('./generator-worker.js', import.meta.url)

/** Generator threads, started on first use and kept (unref'd) for later steps, so their JIT stays warm. */
const pool: Worker[] = []

function threads(n: number): Worker[] {
  while (pool.length < n) {
    const worker = new Worker(workerFile)
    worker.unref()
    worker.once('exit', () => pool.splice(pool.indexOf(worker), 1))
    pool.push(worker)
  }
  return pool.slice(0, n)
}

/** Runs one share on a thread; resolves with its sample and how busy the thread was generating it (0–1). */
function runShare(
  worker: Worker,
  task: GeneratorTask,
  onProgress: (progress: LoadProgress) => void,
): Promise<{ sample: TrialSample; busy: number }> {
  const before = worker.performance.eventLoopUtilization()
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage)
      reject(error)
    }
    const onMessage = (message: ThreadSample | { progress: LoadProgress }) => {
      if ('progress' in message) return onProgress(message.progress)
      const { sleptMs = 0, ...sample } = message
      worker.off('message', onMessage)
      worker.off('error', onError)
      // a pacing sleep (Atomics.wait) is busy for the event loop but idle for the generator
      const { idle, active } = worker.performance.eventLoopUtilization(before)
      resolve({ sample, busy: Math.max(0, active - sleptMs) / Math.max(1e-9, idle + active) })
    }
    worker.on('message', onMessage)
    worker.once('error', onError)
    worker.postMessage(task)
  })
}

/**
 * The engine runs use: a step split over its generator threads (worker_threads, even for one, so the
 * orchestrator's event loop never competes with the load), their samples merged, and how busy the generator
 * was recorded: the process's CPU, and each thread's event-loop use less the time it slept to pace sends.
 */
export const threadedEngine: LoadEngine = {
  async run(target, load, signal, onProgress) {
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const shares = splitLoad(load)
    const workers = threads(shares.length)
    const stop = () => {
      for (const worker of workers) worker.postMessage('stop')
    }
    signal.addEventListener('abort', stop, { once: true })
    try {
      // each thread's latest progress; the step's is their sum (p99: the highest, a bound)
      const latest: (LoadProgress | undefined)[] = shares.map(() => undefined)
      const progressOf = (i: number) => (progress: LoadProgress) => {
        latest[i] = progress
        if (i !== 0 || !onProgress) return
        const known = latest.filter((p): p is LoadProgress => p !== undefined)
        onProgress({
          elapsedMs: progress.elapsedMs,
          successes: known.reduce((sum, p) => sum + p.successes, 0),
          errors: known.reduce((sum, p) => sum + p.errors, 0),
          p99Ms: Math.max(...known.map((p) => p.p99Ms)),
        })
      }
      const running = Promise.all(
        shares.map((share, i) =>
          runShare(
            workers[i] as Worker,
            {
              target: {
                baseUrl: target.baseUrl,
                selfSigned: target.selfSigned ?? false,
                ...(target.h2cUrl ? { h2cUrl: target.h2cUrl } : {}),
              },
              ...share,
              progress: onProgress !== undefined,
            },
            progressOf(i),
          ),
        ),
      )
      // after the tasks were posted, so a thread reads 'stop' after its task (a listener added to an aborted
      // signal never fires; a 'stop' posted before the task would abort nothing and the step would run whole)
      if (signal.aborted) stop()
      const results = await running
      const cpu = process.cpuUsage(cpuBefore)
      const wallUs = (performance.now() - started) * 1000
      return {
        ...mergeSamples(results.map((r) => r.sample)),
        generator: {
          threads: workers.length,
          cpuPercent: ((cpu.user + cpu.system) / wallUs) * 100,
          eventLoopUtilization: Math.max(...results.map((r) => r.busy)),
        },
      }
    } finally {
      signal.removeEventListener('abort', stop)
    }
  },
}
