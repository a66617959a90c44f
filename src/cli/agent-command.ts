import { availableParallelism } from 'node:os'
import { onStdinClose } from '../agents/on-stdin-close.js'
import { readAgentToken } from '../agents/read-agent-token.js'
import { readStdinToken } from '../agents/read-stdin-token.js'
import { runAgent } from '../agents/run-agent.js'
import { BenchError } from '../bench-error.js'
import { parseFlagDuration, parseHostPort } from './agent-options.js'
import { packageVersions } from './package-versions.js'
import { withInterrupt } from './with-interrupt.js'

export interface AgentArgs {
  coordinator: string
  tokenFile?: string | undefined
  index?: number | undefined
  name?: string | undefined
  allowRemote: boolean
  connectTimeout?: string | undefined
  /** Exit when stdin closes: how a launcher holding the session (ssh, pdsh, srun) stops the agent. */
  exitOnStdinClose?: boolean | undefined
}

export type AgentOutcome = 'complete' | 'interrupted'

/**
 * bench agent: dials the coordinator, authenticates, runs the steps it is sent on threads of its own until the
 * run is done (exit 0). Bad flags, no token or a refusal exit 2; a coordinator unreachable or gone, 3.
 */
export async function agentCommand(args: AgentArgs): Promise<AgentOutcome> {
  const coordinator = parseHostPort(args.coordinator)
  if (!coordinator)
    throw new BenchError(
      'input',
      `--coordinator ${args.coordinator} is not HOST:PORT`,
      'e.g. --coordinator 198.18.0.1:7070 (where the coordinator runs bench run … --agents N --listen)',
    )
  if (args.index !== undefined && !(Number.isInteger(args.index) && args.index >= 0))
    throw new BenchError(
      'input',
      `--index ${args.index} is not an index`,
      'give a whole number from 0, e.g. --index 0',
    )
  if (args.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(args.name))
    throw new BenchError(
      'input',
      `--name ${args.name} is not a name`,
      'use letters, digits, ".", "_" and "-"',
    )
  const connectTimeoutMs = parseFlagDuration(args.connectTimeout ?? '2m')
  if (connectTimeoutMs === undefined)
    throw new BenchError(
      'input',
      `--connect-timeout ${args.connectTimeout} is not a duration`,
      'e.g. 30s or 2m',
    )
  // "-": the first line of stdin, leaving the rest open (a launcher keeps it for the session's life)
  const token =
    args.tokenFile === '-'
      ? readAgentToken(undefined, { BENCH_AGENT_TOKEN: await readStdinToken() })
      : readAgentToken(args.tokenFile)
  return withInterrupt(async (interrupt) => {
    const stdinClosed = new AbortController()
    if (args.exitOnStdinClose) {
      onStdinClose(() => {
        process.stderr.write('bench agent: stdin closed (the session that started it ended): stopping\n')
        stdinClosed.abort()
      })
    }
    const signal = AbortSignal.any([interrupt, stdinClosed.signal])
    const outcome = await runAgent({
      ...coordinator,
      token,
      index: args.index,
      name: args.name,
      allowRemote: args.allowRemote,
      connectTimeoutMs,
      version: packageVersions().bench,
      cpus: availableParallelism(),
      log: (line) => process.stderr.write(`${line}\n`),
      signal,
    })
    return outcome === 'done' ? 'complete' : 'interrupted'
  })
}
