import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { BenchError } from '../bench-error.js'
import { stopProcessGroup } from '../stacks/process-group.js'

export interface SshAgentsOptions {
  /** One agent per host, index = its position (`--agents-ssh host1,host2`). */
  hosts: readonly string[]
  /** HOST:PORT the agents dial: the coordinator's --listen address. */
  coordinator: string
  /** The shared token: written to each ssh's stdin, never on a command line (where `ps` shows it). */
  token: string
  /** The bench command on the hosts (`--agents-ssh-command`, default `bench`). */
  command: string
  /** `ssh -F FILE` (`--agents-ssh-config`). */
  config?: string | undefined
  /** Passed on to each agent: it may load targets off loopback and the test networks. */
  allowRemote: boolean
}

export interface SshAgents {
  /** Resolves with the first error of an ssh that ended before stop() without success (it never rejects). */
  failure: Promise<BenchError>
  /** Closes every session (the remote agent exits when its stdin closes), then stops what is left of each ssh's
   * process group; resolves once every ssh is gone. */
  stop(): Promise<void>
  /** The pid (= process group) of each host's ssh, in host order. */
  pids: number[]
}

/** How long a closed session may take to end (the agent exits and ssh with it) before ssh's group is stopped. */
const closeGraceMs = 3000
const stderrLines = 8

/** POSIX shell quoting: ssh hands its command to the remote user's shell as one string. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/** The ssh argument list for one host: BatchMode (no password prompt), then the agent's command line. */
export function sshArgs(options: SshAgentsOptions, index: number): string[] {
  const host = options.hosts[index] as string
  const remote = [
    ...options.command.split(/\s+/).filter((word) => word !== ''),
    'agent',
    '--coordinator',
    options.coordinator,
    '--index',
    String(index),
    '--name',
    host,
    '--token-file',
    '-',
    '--exit-on-stdin-close',
    ...(options.allowRemote ? ['--allow-remote'] : []),
  ]
  return [
    ...(options.config ? ['-F', options.config] : []),
    '-o',
    'BatchMode=yes',
    host,
    '--',
    ...remote.map(shellQuote),
  ]
}

/**
 * Starts `bench agent` on every host over the system's ssh (the user's keys and config), each ssh in its own
 * process group with the token on its stdin. The stdin stays open for the session's life: closing it is how the
 * agents are told to stop (ssh without a terminal sends no SIGHUP to the remote command; the agent reading its
 * token from `-` exits when that stdin closes).
 */
export function startSshAgents(options: SshAgentsOptions): Promise<SshAgents> {
  if (options.hosts.length === 0) {
    return Promise.reject(
      new BenchError('input', '--agents-ssh names no host', 'e.g. --agents-ssh host1,host2'),
    )
  }
  let stopping = false
  let reportFailure: (error: BenchError) => void = () => undefined
  const failure = new Promise<BenchError>((resolve) => {
    reportFailure = resolve
  })
  const children: ChildProcess[] = []
  const exits: Promise<void>[] = []
  const starts = options.hosts.map((host, index) => {
    const child = spawn('ssh', sshArgs(options, index), {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    children.push(child)
    const tail: string[] = []
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      tail.push(line)
      if (tail.length > stderrLines) tail.shift()
    })
    // An ssh that ends on its own: the agent finished (0) or something failed (ssh's 255, the agent's 2 or 3).
    exits.push(
      new Promise<void>((resolve) => {
        child.once('close', (code, signal) => {
          if (!stopping && code !== 0) {
            const how = signal ? `was killed by ${signal}` : `exited ${code}`
            const last = tail.at(-1)
            reportFailure(
              new BenchError(
                'environment',
                `the agent on ${host} over ssh ${how}${last === undefined ? '' : `: ${last}`}`,
                `check that \`ssh${options.config ? ` -F ${options.config}` : ''} -o BatchMode=yes ${host} ${options.command} --version\` ` +
                  'runs without asking for a password, and that the host can reach the coordinator at ' +
                  options.coordinator,
                [...tail],
              ),
            )
          }
          resolve()
        })
      }),
    )
    child.stdin?.on('error', () => undefined) // EPIPE when ssh died first: its exit says why
    return new Promise<void>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new BenchError(
            'environment',
            `cannot start ssh for ${host}: ${error.code ?? error.message}`,
            'install an ssh client (Debian: apt-get install openssh-client)',
          ),
        ),
      )
      child.once('spawn', () => {
        child.stdin?.write(`${options.token}\n`)
        resolve()
      })
    })
  })

  const stop = async () => {
    stopping = true
    for (const child of children) child.stdin?.end()
    const closed = Promise.all(exits)
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, closeGraceMs)
    })
    await Promise.race([closed, graceOver])
    clearTimeout(timer)
    await Promise.all(
      children.map((child) => (child.pid === undefined ? undefined : stopProcessGroup(child.pid, 2000))),
    )
  }

  return Promise.all(starts).then(
    () => ({ failure, stop, pids: children.map((child) => child.pid as number) }),
    async (error: unknown) => {
      await stop()
      throw error
    },
  )
}
