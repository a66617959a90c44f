import { createAgentEngine } from '../agents/agent-engine.js'
import { type Coordinator, startCoordinator } from '../agents/start-coordinator.js'
import { type SshAgents, startSshAgents } from '../agents/start-ssh-agents.js'
import type { LoadEngine } from '../load/load-engine.js'
import { createThreadedEngine } from '../load/threaded-engine.js'
import type { RunRecord } from '../results/run-record-schema.js'
import type { RecordedProcess } from '../watchdog/stop-recorded-groups.js'
import type { CoordinatorSettings } from './agent-options.js'
import { packageVersions } from './package-versions.js'
import { withInterrupt } from './with-interrupt.js'
import { withWatchdog } from './with-watchdog.js'

/** What a command's measurement gets: its generator threads, the interrupt signal and bench's watchdog. */
export interface MeasureContext {
  engine: LoadEngine
  signal: AbortSignal
  onSpawn: (process: RecordedProcess) => void
}

/**
 * The measured part of bench run and bench capacity: generator threads of its own (ended once it is) — or, with
 * --agents, the agents' (waited for first, recorded as agents-ready, told the run is done at the end; with
 * --agents-ssh started over ssh first and their sessions closed at the end) — Ctrl-C
 * and SIGTERM as an abort signal, the watchdog told of every process, the progress closed at the end; a run that
 * throws is finished as failed. Resolves whether it was interrupted.
 */
export async function measureRun(
  run: (context: MeasureContext) => Promise<unknown>,
  o: {
    closeProgress: () => void
    finishFailed: () => void
    agents?: CoordinatorSettings | undefined
    record: (record: RunRecord) => void
  },
): Promise<boolean> {
  const local = createThreadedEngine()
  let coordinator: Coordinator | undefined
  let ssh: SshAgents | undefined
  try {
    return await withInterrupt(async (signal) => {
      if (o.agents) {
        const { host, port, ssh: overSsh } = o.agents
        // --agents-ssh: the agents are started first (they keep dialing until the coordinator listens); an ssh
        // that fails before they are all in ends the wait at once, with its error.
        const sshFailed = new AbortController()
        let sshError: Error | undefined
        if (overSsh) {
          ssh = await startSshAgents({
            ...overSsh,
            coordinator: `${host.includes(':') ? `[${host}]` : host}:${port}`,
            token: o.agents.token,
          })
          void ssh.failure.then((error) => {
            sshError = error
            sshFailed.abort()
          })
        }
        try {
          coordinator = await startCoordinator({
            ...o.agents,
            version: packageVersions().bench,
            log: (line) => process.stderr.write(`${line}\n`),
            signal: AbortSignal.any([signal, sshFailed.signal]),
          })
        } catch (error) {
          if (sshError) throw sshError
          if (signal.aborted) return true
          throw error
        }
        if (sshError) throw sshError
        o.record({
          kind: 'agents-ready',
          listen: `${host.includes(':') ? `[${host}]` : host}:${coordinator.port}`,
          agents: coordinator.agents.map(({ socket: _, ...agent }) => agent),
        })
      }
      const engine = coordinator ? createAgentEngine(coordinator.agents, local) : local
      await withWatchdog((onSpawn) => run({ engine, signal, onSpawn }))
      return signal.aborted
    }).finally(async () => {
      o.closeProgress()
      await coordinator?.close()
      await ssh?.stop()
      await local.close()
    })
  } catch (error) {
    o.finishFailed()
    throw error
  }
}
