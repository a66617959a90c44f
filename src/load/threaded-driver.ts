import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import type { LoadDriver } from './load-driver.js'
import { mergeSamples } from './merge-samples.js'
import { splitLoad } from './split-load.js'
import type { TrialSample } from './trial-sample.js'

const workerFile = new URL('./generator-worker.js', import.meta.url)

/**
 * Runs a step on its generator threads (worker_threads, even for one, so the orchestrator's own event loop
 * never competes with the load), merges their samples, and records how busy the generator was.
 */
export const threadedDriver: LoadDriver = {
  async run(baseUrl, load, signal) {
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const workers = splitLoad(load).map(
      (share) => new Worker(workerFile, { workerData: { baseUrl, ...share } }),
    )
    const stop = () => {
      for (const worker of workers) worker.postMessage('stop')
    }
    signal.addEventListener('abort', stop, { once: true })
    if (signal.aborted) stop() // a listener added to an aborted signal never fires
    const utilization: number[] = []
    try {
      const samples = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<TrialSample>((resolve, reject) => {
              worker.once('message', (sample: TrialSample) => {
                utilization.push(worker.performance.eventLoopUtilization().utilization)
                resolve(sample)
              })
              worker.once('error', reject)
              worker.once('exit', (code) =>
                reject(new Error(`generator thread exited with code ${code} before reporting`)),
              )
            }),
        ),
      )
      const cpu = process.cpuUsage(cpuBefore)
      const wallUs = (performance.now() - started) * 1000
      return {
        ...mergeSamples(samples),
        generator: {
          threads: workers.length,
          cpuPercent: ((cpu.user + cpu.system) / wallUs) * 100,
          eventLoopUtilization: Math.max(...utilization),
        },
      }
    } finally {
      signal.removeEventListener('abort', stop)
      await Promise.all(workers.map((worker) => worker.terminate()))
    }
  },
}
