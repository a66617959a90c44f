/**
 * A load generator thread: runs its share of one step (closed loop with autocannon, open loop with the
 * scheduler) and posts back its TrialSample. A 'stop' message aborts it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { LoadSpec } from '../plan/build-plan.js'
import { runClosedLoop } from './autocannon-driver.js'
import { runOpenLoop } from './open-loop-driver.js'

export interface GeneratorTask {
  baseUrl: string
  load: LoadSpec
  /** This thread's place among the step's generators, for interleaving open-loop schedules. */
  offset: number
}

const task = workerData as GeneratorTask
const controller = new AbortController()
parentPort?.on('message', (message) => {
  if (message === 'stop') controller.abort()
})
const sample =
  task.load.loop === 'closed'
    ? await runClosedLoop(task.baseUrl, task.load, controller.signal)
    : await runOpenLoop(task.baseUrl, task.load, task.offset, controller.signal)
parentPort?.postMessage(sample)
