import { existsSync } from 'node:fs'
import type { Argv } from 'yargs'
import { BenchError } from '../bench-error.js'

/** The flags that start the agents over ssh, beside the coordinator's (bench run, bench capacity, the URL run). */
export function agentsSshOptions<T>(y: Argv<T>) {
  return y
    .option('agents-ssh', {
      type: 'string',
      describe:
        'start one `bench agent` on each of these hosts over ssh (your keys and config) and stop them at the end: --agents-ssh host1,host2 (N = the hosts)',
    })
    .option('agents-ssh-command', {
      type: 'string',
      describe: 'with --agents-ssh: the bench command on the hosts (default: bench), e.g. /opt/bench/bench',
    })
    .option('agents-ssh-config', {
      type: 'string',
      describe: 'with --agents-ssh: an ssh config file (passed as ssh -F FILE)',
    })
}

/** What the ssh launcher needs beyond the coordinator's settings. */
export interface SshAgentSettings {
  hosts: string[]
  command: string
  config?: string | undefined
}

/**
 * The --agents-ssh flags checked: undefined without --agents-ssh. The hosts set the number of agents (--agents,
 * when also given, must agree), and --listen must be given: it is the address every host dials, so it must be one
 * of this machine's that they reach (a wildcard such as 0.0.0.0 cannot be dialed).
 */
export function sshAgentSettings(args: {
  agents?: number | undefined
  listen?: string | undefined
  agentsSsh?: string | undefined
  agentsSshCommand?: string | undefined
  agentsSshConfig?: string | undefined
}): SshAgentSettings | undefined {
  if (args.agentsSsh === undefined) {
    const set =
      args.agentsSshCommand !== undefined ? 'command' : args.agentsSshConfig !== undefined ? 'config' : ''
    if (set)
      throw new BenchError(
        'input',
        `--agents-ssh-${set} is a setting of --agents-ssh`,
        'add --agents-ssh host1,host2 to start the agents over ssh, or drop it',
      )
    return undefined
  }
  const hosts = args.agentsSsh
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '')
  const bad = hosts.find((host) => !/^[A-Za-z0-9_.@:[\]-]+$/.test(host) || host.startsWith('-'))
  if (hosts.length === 0 || bad !== undefined)
    throw new BenchError(
      'input',
      bad === undefined ? '--agents-ssh names no host' : `--agents-ssh: "${bad}" is not a host`,
      'give ssh destinations separated by commas: --agents-ssh load-1,user@load-2',
    )
  if (new Set(hosts).size !== hosts.length)
    throw new BenchError(
      'input',
      '--agents-ssh names a host twice',
      'name each host once (an ssh config Host alias can give one machine a second name)',
    )
  if (args.agents !== undefined && args.agents !== hosts.length)
    throw new BenchError(
      'input',
      `--agents ${args.agents} but --agents-ssh names ${hosts.length} hosts`,
      'drop --agents: with --agents-ssh the number of agents is the number of hosts',
    )
  const listenHost = args.listen?.replace(/:\d+$/, '')
  if (listenHost === undefined || ['0.0.0.0', '[::]', '::', ''].includes(listenHost))
    throw new BenchError(
      'input',
      args.listen === undefined
        ? '--agents-ssh needs --listen: the address the agents dial'
        : `--listen ${args.listen} is not an address the agents can dial`,
      'add --listen ADDRESS:7070 with an address of this machine the hosts reach, e.g. --listen 10.0.0.5:7070',
    )
  if (args.agentsSshConfig !== undefined && !existsSync(args.agentsSshConfig))
    throw new BenchError(
      'input',
      `--agents-ssh-config ${args.agentsSshConfig}: no such file`,
      'name an ssh config file (the format of ~/.ssh/config)',
    )
  const command = (args.agentsSshCommand ?? 'bench').trim()
  if (command === '')
    throw new BenchError(
      'input',
      '--agents-ssh-command is empty',
      'e.g. --agents-ssh-command /opt/bench/bench',
    )
  return { hosts, command, config: args.agentsSshConfig }
}
