import { performance } from 'node:perf_hooks'
import type { Worker } from 'node:worker_threads'
import { mergeSamples } from '../samples/merge-samples.js'
import type { GeneratorShareUsage, TrialSample } from '../samples/sample-schemas.js'
import type { GeneratorSample, LoadProgress, ShareUsage } from './contract/generator-messages.js'
import type { LoadSpec } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import type { Share } from './contract/share.js'
import { splitLoad } from './contract/split-load.js'
import { GeneratorError } from './generator-error.js'
import { GeneratorPool } from './generator-pool.js'
import type { LoadEngine } from './load-engine.js'
import type { ProgressSink } from './load-progress.js'
import { runShare } from './run-share.js'

/**
 * How far ahead of now a step's common start is set: time for every thread to get its task, load its engine
 * and open its first connections, so that none starts its schedule late.
 */
const startMarginMs = 100

/** A step run within a share of a larger step (an agent's): its merged sample and what each thread spent. */
export interface WithinResult {
  sample: TrialSample
  /** When the earliest thread's measured window began, ms after startAt. */
  startOffsetMs: number
  /** How late the latest thread began to load, ms after startAt: when the whole share was under way. */
  lateMs: number
  threads: { name: string; usage: ShareUsage }[]
}

/** The engine runs use, with the pool of generator threads it owns: close() ends them. */
export interface ThreadedEngine extends LoadEngine {
  /**
   * A `bench agent`'s step: the load of share `within` of the whole step, split over `load.generators` threads
   * that get the step's global shares (splitLoad(load, generators, within)), all starting at `startAt` (epoch ms,
   * this process's clock).
   */
  runWithin(
    target: LoadTarget,
    load: LoadSpec,
    signal: AbortSignal,
    placement: { within: Share; startAt: number },
    onProgress?: ProgressSink,
  ): Promise<WithinResult>
  close(): Promise<void>
}

/**
 * The engine runs use: a step split over its generator threads (worker_threads, even for one, so the
 * orchestrator's event loop never competes with the load), every share starting at one common time, their
 * samples merged on that time, and each thread's own CPU and busy share recorded. A thread that fails rejects
 * the step with a GeneratorError (the others are stopped first) and leaves the pool for a fresh one.
 */
export function createThreadedEngine(pool = new GeneratorPool()): ThreadedEngine {
  /** The threads of side loads: apart from the load's, since both run at once. */
  const sidePool = new GeneratorPool()
  const holding = new Set<Worker>()
  const runThreads = async (
    target: LoadTarget,
    load: LoadSpec,
    signal: AbortSignal,
    placement: { within: Share; startAt?: number },
    onProgress?: ProgressSink,
  ): Promise<WithinResult & { setAt: number }> => {
    const shares = splitLoad(load, load.generators, placement.within)
    let workers: Worker[]
    try {
      workers = await pool.take(shares.length)
    } catch (error) {
      throw new GeneratorError(`a generator thread did not start: ${(error as Error).message}`)
    }
    const stop = () => {
      for (const worker of workers) worker.postMessage({ type: 'stop' })
    }
    signal.addEventListener('abort', stop, { once: true })
    // a run's own step starts a margin after its threads are ready; an agent's, when the coordinator said
    const setAt = performance.now()
    const startAt = placement.startAt ?? performance.timeOrigin + setAt + startMarginMs
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
      const names = shares.map((_, i) => `generator thread ${i + 1}`)
      const running = shares.map((share, i) =>
        runShare(
          workers[i] as Worker,
          {
            type: 'task',
            target: targetOf(target),
            load: share.load,
            share: share.share,
            seed: share.seed,
            startAt,
            progress: onProgress !== undefined,
          },
          'sample',
          names[i] as string,
          progressOf(i),
        ).catch((error: unknown) => {
          pool.retire(workers[i] as Worker)
          stop() // the others end now: the step has failed
          throw error
        }),
      )
      // after the tasks were posted, so a thread reads 'stop' after its task (a listener added to an aborted
      // signal never fires; a 'stop' posted before the task would abort nothing and the step would run whole)
      if (signal.aborted) stop()
      const settled = await Promise.allSettled(running)
      const failed = settled.find((s) => s.status === 'rejected')
      if (failed) throw failed.reason
      const replies = settled.map((s) => (s as PromiseFulfilledResult<GeneratorSample>).value)
      return {
        sample: mergeSamples(
          replies.map((r) => r.sample),
          replies.map((r) => r.startOffsetMs),
        ),
        startOffsetMs: Math.min(...replies.map((r) => r.startOffsetMs)),
        lateMs: Math.max(...replies.map((r) => r.lateMs)),
        threads: replies.map((r, i) => ({ name: names[i] as string, usage: r.usage })),
        setAt,
      }
    } finally {
      signal.removeEventListener('abort', stop)
    }
  }
  return {
    close: async () => {
      await Promise.all([pool.close(), sidePool.close()])
    },
    async startSide(target, side) {
      const name = side.kind === 'idle' ? 'idle crowd' : 'slow clients'
      let worker: Worker | undefined
      try {
        worker = (await sidePool.take(holding.size + 1)).find((w) => !holding.has(w))
      } catch (error) {
        throw new GeneratorError(`the ${name}' generator thread did not start: ${(error as Error).message}`)
      }
      if (!worker) throw new GeneratorError(`no generator thread free for the ${name}`)
      const held = worker
      holding.add(held)
      const failed = (error: unknown) => {
        holding.delete(held)
        sidePool.retire(held)
        throw error
      }
      await runShare(held, { type: 'side', target: targetOf(target), side }, 'ready', name).catch(failed)
      return {
        async stop() {
          const outcome = await runShare(held, { type: 'stop' }, 'side-outcome', name).catch(failed)
          holding.delete(held)
          const { usage } = outcome
          return {
            ...(outcome.slowClients ? { slowClients: outcome.slowClients } : {}),
            ...(outcome.idle ? { idle: outcome.idle } : {}),
            usage: {
              name,
              cpuPercent: (usage.cpuUs / 1000 / usage.wallMs) * 100,
              busy: Math.min(1, usage.busyMs / usage.wallMs),
            },
          }
        },
      }
    },
    async run(target, load, signal, onProgress) {
      const result = await runThreads(target, load, signal, { within: { index: 0, of: 1 } }, onProgress)
      const wallMs = performance.now() - result.setAt
      // each over its own wall time, from its task's arrival (so the ~100 ms before startAt, mostly idle,
      // dilutes a 5 s step's busy share by ~2 %; the connections it opens then are work of the step)
      const generators: GeneratorShareUsage[] = result.threads.map(({ name, usage }) => ({
        name,
        cpuPercent: (usage.cpuUs / 1000 / usage.wallMs) * 100,
        busy: Math.min(1, usage.busyMs / usage.wallMs),
      }))
      return {
        ...result.sample,
        generator: {
          threads: result.threads.length,
          cpuPercent: (result.threads.reduce((sum, t) => sum + t.usage.cpuUs, 0) / 1000 / wallMs) * 100,
          eventLoopUtilization: Math.max(...generators.map((g) => g.busy)),
          generators,
        },
      }
    },
    async runWithin(target, load, signal, placement, onProgress) {
      const { setAt: _, ...result } = await runThreads(target, load, signal, placement, onProgress)
      return result
    },
  }
}

/** Only the target's own fields cross to a generator (a RunningStack carries much more). */
function targetOf(target: LoadTarget): LoadTarget {
  return {
    baseUrl: target.baseUrl,
    selfSigned: target.selfSigned ?? false,
    ...(target.h2cUrl ? { h2cUrl: target.h2cUrl } : {}),
  }
}
