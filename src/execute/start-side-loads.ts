import type { LoadTarget } from '../load/contract/load-target.js'
import type { LoadEngine, RunningSide } from '../load/load-engine.js'
import type { PlannedStep } from '../plan/build-plan.js'
import type { GeneratorShareUsage, IdleOutcome, SlowClientOutcome } from '../samples/sample-schemas.js'

/** What a step's side loads add to its record, and their generators' usage. */
export interface SideLoadsOutcome {
  slowClients?: SlowClientOutcome
  idle?: IdleOutcome
  usages: GeneratorShareUsage[]
}

/**
 * A step's side loads, each on a generator of its own: the idle crowd first (in place before anything else
 * starts), then the slow clients. stop() ends them (slow clients first) and tells how they went.
 */
export async function startSideLoads(
  engine: LoadEngine,
  target: LoadTarget,
  step: Pick<PlannedStep, 'idleConnections' | 'slowClients'>,
): Promise<{ stop(): Promise<SideLoadsOutcome> }> {
  const idle = step.idleConnections
    ? await engine.startSide(target, { kind: 'idle', connections: step.idleConnections })
    : undefined
  let slow: RunningSide | undefined
  try {
    slow = step.slowClients
      ? await engine.startSide(target, { kind: 'slowClients', spec: step.slowClients })
      : undefined
  } catch (error) {
    await idle?.stop().catch(() => undefined) // the crowd goes too; the slow clients' failure is the one told
    throw error
  }
  return {
    async stop() {
      const outcome: SideLoadsOutcome = { usages: [] }
      const ended = await Promise.allSettled([slow?.stop(), idle?.stop()])
      const failed = ended.find((e) => e.status === 'rejected')
      if (failed) throw failed.reason
      for (const e of ended) {
        const value = (e as PromiseFulfilledResult<Awaited<ReturnType<RunningSide['stop']>> | undefined>)
          .value
        if (!value) continue
        if (value.slowClients) outcome.slowClients = value.slowClients
        if (value.idle) outcome.idle = value.idle
        outcome.usages.push(value.usage)
      }
      return outcome
    },
  }
}
