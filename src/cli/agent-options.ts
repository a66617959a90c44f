import type { Argv } from 'yargs'
import { readAgentToken } from '../agents/read-agent-token.js'
import { BenchError } from '../bench-error.js'
import { durationPattern } from '../profile/schema.js'
import { agentsSshOptions, type SshAgentSettings, sshAgentSettings } from './agents-ssh-options.js'

/** The coordinator's flags, on bench run, bench capacity and the one-line URL run. */
export function agentOptions<T>(y: Argv<T>) {
  return agentsSshOptions(y)
    .option('agents', {
      type: 'number',
      describe:
        'load from N `bench agent`s (other machines) instead of this process: wait for them, then run',
    })
    .option('listen', {
      type: 'string',
      describe:
        'with --agents: where the agents dial in, HOST:PORT (default 127.0.0.1:7070; 0.0.0.0:7070: all)',
    })
    .option('token-file', {
      type: 'string',
      describe:
        "with --agents: the agents' shared token, from this file (- for stdin; else BENCH_AGENT_TOKEN)",
    })
    .option('agents-timeout', {
      type: 'string',
      describe: 'with --agents: how long to wait for them all, e.g. 30s, 5m (the default)',
    })
}

/** What the coordinator of a run from several machines needs. */
export interface CoordinatorSettings {
  agents: number
  host: string
  port: number
  token: string
  timeoutMs: number
  /** --agents-ssh: the coordinator starts the agents itself over ssh (and stops them), given these. */
  ssh?: (SshAgentSettings & { allowRemote: boolean }) | undefined
}

/** HOST:PORT ("[::1]:7070" for IPv6) → its parts, or undefined. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value.trim())
  const port = Number(match?.[3])
  const host = match?.[1] ?? match?.[2]
  return host && port >= 1 && port <= 65535 ? { host, port } : undefined
}

/** "5m", "30s", "500ms" → ms, or undefined. */
export function parseFlagDuration(value: string): number | undefined {
  const match = durationPattern.exec(value)
  if (!match) return undefined
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm']
}

/** The coordinator flags checked: undefined without --agents (the run is exactly as without agents). */
export function coordinatorSettings(args: {
  agents?: number | undefined
  listen?: string | undefined
  tokenFile?: string | undefined
  agentsTimeout?: string | undefined
  agentsSsh?: string | undefined
  agentsSshCommand?: string | undefined
  agentsSshConfig?: string | undefined
  /** The run's --allow-remote: agents started over ssh get it too. */
  allowRemote?: boolean | undefined
}): CoordinatorSettings | undefined {
  const ssh = sshAgentSettings(args)
  if (ssh) {
    const { agentsSsh: _, agentsSshCommand: _c, agentsSshConfig: _f, ...rest } = args
    const settings = coordinatorSettings({ ...rest, agents: ssh.hosts.length }) as CoordinatorSettings
    return { ...settings, ssh: { ...ssh, allowRemote: args.allowRemote ?? false } }
  }
  if (args.agents === undefined) {
    const set = (['listen', 'tokenFile', 'agentsTimeout'] as const).find((key) => args[key] !== undefined)
    if (set)
      throw new BenchError(
        'input',
        `--${{ listen: 'listen', tokenFile: 'token-file', agentsTimeout: 'agents-timeout' }[set]} is a setting of --agents`,
        'add --agents N to load from N agents, or drop it',
      )
    return undefined
  }
  if (!(Number.isInteger(args.agents) && args.agents >= 1 && args.agents <= 1000))
    throw new BenchError(
      'input',
      `--agents ${args.agents} is not a number of agents`,
      'give a whole number from 1 to 1000, e.g. --agents 2, or drop --agents to load from this process',
    )
  const listen = parseHostPort(args.listen ?? '127.0.0.1:7070')
  if (!listen)
    throw new BenchError(
      'input',
      `--listen ${args.listen} is not HOST:PORT`,
      'e.g. --listen 0.0.0.0:7070 (every interface), --listen 198.18.0.1:7070 or --listen [::1]:7070',
    )
  const timeoutMs = parseFlagDuration(args.agentsTimeout ?? '5m')
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new BenchError(
      'input',
      `--agents-timeout ${args.agentsTimeout} is not a duration`,
      'e.g. --agents-timeout 30s or --agents-timeout 5m',
    )
  return { agents: args.agents, ...listen, token: readAgentToken(args.tokenFile), timeoutMs }
}
