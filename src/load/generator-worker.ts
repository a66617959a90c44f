/**
 * A load generator thread, kept for the whole run (its JIT stays warm from step to step): each task message
 * runs one share of a step with the step's engine, posts its progress twice a second when asked, and posts
 * back its sample; 'stop' aborts the task running.
 */
import { parentPort } from 'node:worker_threads'
import type { LoadSpec } from '../plan/build-plan.js'
import type { LoadTarget } from './load-engine.js'
import type { ProgressSink } from './load-progress.js'
import { threadEngines } from './thread-engines.js'

export interface GeneratorTask {
  target: LoadTarget
  load: LoadSpec
  /** This thread's place among the step's generators, for interleaving open-loop schedules. */
  offset: number
  /** Post { progress } messages while running. */
  progress: boolean
}

let controller = new AbortController()

async function run(task: GeneratorTask) {
  controller = new AbortController()
  const engine = await threadEngines[task.load.engine]()
  const { load } = task
  const progress: ProgressSink | undefined = task.progress
    ? (snapshot) => parentPort?.postMessage({ progress: snapshot })
    : undefined
  const { signal } = controller
  const sample =
    load.loop === 'closed'
      ? await engine.closed?.(task.target, load, signal, progress)
      : load.loop === 'open'
        ? await engine.open?.(task.target, load, task.offset, signal, progress)
        : await engine.websocket?.(task.target, load, task.offset, signal, progress)
  if (!sample) throw new Error(`engine ${load.engine} cannot run a ${load.loop}-loop step`)
  parentPort?.postMessage(sample)
}

parentPort?.on('message', (message: 'stop' | GeneratorTask) => {
  if (message === 'stop') controller.abort()
  else void run(message)
})
