/**
 * A load generator thread, kept for the whole run (its JIT stays warm from step to step): each task message
 * runs one share of a step with the step's engine, posts its progress twice a second when asked, and posts
 * back its sample and what running it cost this thread; a stop message aborts the task running. A side task
 * holds slow clients or an idle crowd beside a step's load until the stop, then posts how they ended. Messages
 * both ways follow the load contract (contract/generator-messages.ts) and are checked where received: an
 * invalid task, or a share that fails, is answered with an error message rather than a sample.
 */
import { performance } from 'node:perf_hooks'
import { parentPort } from 'node:worker_threads'
import {
  type FromGenerator,
  type GeneratorTask,
  type ShareUsage,
  type SideOutcome,
  type SideTask,
  toGeneratorSchema,
} from './contract/generator-messages.js'
import { parseMessage } from './contract/parse-message.js'
import { startIdleConnections } from './idle-connections.js'
import type { ProgressSink } from './load-progress.js'
import { startSlowClients } from './slow-clients.js'
import { threadCpuUs } from './thread-cpu-us.js'
import type { ShareRun } from './thread-engine.js'
import { threadEngines } from './thread-engines.js'

let controller = new AbortController()

const post = (message: FromGenerator) => parentPort?.postMessage(message)

/** Starts measuring what this thread spends from now: call the result to read it (less `sleptMs` pacing). */
function meter(): (sleptMs: number) => ShareUsage {
  const received = performance.now()
  const cpuBefore = threadCpuUs()
  const eluBefore = performance.eventLoopUtilization()
  return (sleptMs) => {
    const { active } = performance.eventLoopUtilization(eluBefore)
    const busyMs = Math.max(0, active - sleptMs)
    const cpuAfter = threadCpuUs()
    const measured = cpuBefore !== undefined && cpuAfter !== undefined
    return {
      cpuUs: measured ? Math.max(0, cpuAfter - cpuBefore) : busyMs * 1000,
      cpuSource: measured ? 'thread' : 'eventLoop',
      busyMs,
      sleptMs,
      wallMs: Math.max(1e-3, performance.now() - received),
    }
  }
}

/** The side load this thread holds, if any: stopped by the next stop message. */
let side: { stop(): Omit<SideOutcome, 'type' | 'usage'>; usage: (sleptMs: number) => ShareUsage } | undefined

async function hold(task: SideTask): Promise<void> {
  const usage = meter()
  const { baseUrl } = task.target
  if (task.side.kind === 'idle') {
    const crowd = startIdleConnections(baseUrl, task.side.connections)
    side = { stop: () => ({ idle: crowd.stop() }), usage }
    await crowd.ready // the crowd is in place before the measured load starts
  } else {
    const slow = startSlowClients(baseUrl, task.side.spec)
    side = { stop: () => ({ slowClients: slow.stop() }), usage }
  }
  post({ type: 'ready' })
}

async function run(task: GeneratorTask): Promise<void> {
  const usage = meter()
  controller = new AbortController()
  const { load } = task
  const engine = await threadEngines[load.engine]()
  const progress: ProgressSink | undefined = task.progress
    ? (snapshot) => post({ type: 'progress', progress: snapshot })
    : undefined
  const { signal } = controller
  // the orchestrator's start time (epoch ms) in this thread's clock: both count from a high-resolution epoch
  const share: ShareRun = {
    share: task.share,
    seed: task.seed,
    startAt: task.startAt - performance.timeOrigin,
  }
  const result =
    load.loop === 'closed'
      ? await engine.closed?.(task.target, load, share, signal, progress)
      : load.loop === 'open'
        ? await engine.open?.(task.target, load, share, signal, progress)
        : await engine.websocket?.(task.target, load, share, signal, progress)
  if (!result) throw new Error(`engine ${load.engine} cannot run a ${load.loop}-loop step`)
  post({
    type: 'sample',
    sample: result.sample,
    startOffsetMs: result.startOffsetMs,
    lateMs: result.lateMs,
    usage: usage(result.sleptMs),
  })
}

parentPort?.on('message', (data: unknown) => {
  let message: ReturnType<typeof toGeneratorSchema.parse>
  try {
    message = parseMessage(toGeneratorSchema, data, 'the orchestrator')
  } catch (error) {
    post({ type: 'error', message: (error as Error).message })
    return
  }
  if (message.type === 'stop') {
    controller.abort()
    if (side) {
      const { stop, usage } = side
      side = undefined
      post({ type: 'side-outcome', ...stop(), usage: usage(0) })
    }
  } else
    (message.type === 'side' ? hold(message) : run(message)).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
})

// the default engine is loaded now, before the thread says it is ready: a step's common start must not wait on
// module loading (the pool waits for this message before it hands the thread out)
threadEngines.bench().then(
  () => post({ type: 'ready' }),
  (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
)
