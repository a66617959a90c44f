// A test network of Linux network namespaces (tests only, as root): a bridge in a namespace of its own and one
// namespace per role, each joined to the bridge by a veth pair, on 198.18.X.0/24 (the benchmarking range
// 198.18.0.0/15, X picked per run), `lo` up, no default route — nothing leaves the machine and nothing of the
// host's own namespace is touched (the veth pairs are created inside the bridge's namespace and moved straight
// into the role's). Every name carries a per-run prefix (`bench-t<pid>-<n>-`), and only those are removed:
// processes the test started are stopped by process group, anything else still in our namespaces by pid, then
// the namespaces are deleted (which deletes their veths), on every path.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { stopProcessGroup } from '../src/stacks/process-group.js'

const run = promisify(execFile)

/** A process started in a namespace, detached as its own process group. */
export interface NetnsProcess {
  pid: number
  child: ChildProcess
  /** Settles when it exits (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Everything it printed so far, stdout and stderr interleaved by line. */
  output(): string
  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once the group is empty. */
  stop(graceMs?: number): Promise<void>
}

export interface SpawnOptions {
  env?: Record<string, string>
  cwd?: string
  /** Keep stdin a pipe (default: ignored). */
  stdin?: boolean
}

export interface TestNetwork {
  /** The per-run prefix of every namespace name. */
  prefix: string
  /** The third octet X of 198.18.X.0/24. */
  subnet: number
  /** The namespace of a role (or of the bridge: "br"). */
  namespace(role: string): string
  /** The role's address on the bridge, 198.18.X.(10 + its position). */
  address(role: string): string
  /** Starts `command args…` inside the role's namespace (`ip netns exec`), as its own process group. */
  spawn(role: string, command: string, args: string[], options?: SpawnOptions): NetnsProcess
  /** Runs a command to its end inside the role's namespace; resolves with its stdout. */
  exec(role: string, command: string, args: string[]): Promise<string>
  /** Waits until something in the role's namespace listens on TCP `port` (polling `ss`, bounded). */
  waitForPort(role: string, port: number, timeoutMs?: number): Promise<void>
  /** The pids of every process still in the role's namespace (`ip netns pids`). */
  pids(role: string): Promise<number[]>
  /** Waits (bounded) until the role's namespace holds only `expected` (none by default); resolves with the pids it
   * holds at the end, for the caller's assertion to name. */
  settledPids(role: string, expected?: readonly number[], timeoutMs?: number): Promise<number[]>
  /** Stops what the test started, then anything left in our namespaces, then deletes the namespaces. */
  remove(): Promise<void>
}

let created = 0
const live = new Set<() => void>()
let exitHookInstalled = false

/** On an abrupt exit of the test process (an uncaught error, SIGTERM from a runner's timeout, Ctrl-C), delete what
 * is left, synchronously. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  const removeAll = () => {
    for (const removeNow of live) removeNow()
    live.clear()
  }
  process.on('exit', removeAll)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      removeAll()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
}

/** Namespaces of this harness left by a test process that is gone (killed with SIGKILL, which no hook sees): their
 * name carries its pid. Removed like ours, processes first. */
function removeOrphans(): void {
  for (const name of namespacesWithPrefix('bench-t')) {
    const pid = Number(/^bench-t(\d+)-\d+-/.exec(name)?.[1])
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      process.kill(pid, 0)
      continue // its test process still runs
    } catch {
      // gone: the namespace is an orphan
    }
    killAllIn(name)
    execFileSync('ip', ['netns', 'delete', name])
  }
}

/** Every namespace whose name starts with `prefix` (ours only: the prefix carries our pid and a counter). */
export function namespacesWithPrefix(prefix: string): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix))
}

/** Creates the network: the bridge namespace plus one namespace per role. */
export async function createTestNetwork(roles: readonly string[]): Promise<TestNetwork> {
  if (roles.length > 200) throw new Error('at most 200 roles')
  created += 1
  const prefix = `bench-t${process.pid}-${created}-`
  const subnet = (process.pid + created) % 254
  const ns = (role: string) => `${prefix}${role}`
  const bridge = ns('br')
  const address = (role: string) => {
    const index = roles.indexOf(role)
    if (index < 0) throw new Error(`no role ${role} in this test network`)
    return `198.18.${subnet}.${10 + index}`
  }
  const started = new Set<NetnsProcess>()
  const removeNow = () => {
    for (const name of namespacesWithPrefix(prefix)) {
      killAllIn(name)
      execFileSync('ip', ['netns', 'delete', name])
    }
  }
  installExitHook()
  removeOrphans()
  live.add(removeNow)

  const ip = (...args: string[]) => run('ip', args)
  try {
    await ip('netns', 'add', bridge)
    await ip('-n', bridge, 'link', 'add', 'br0', 'type', 'bridge')
    await ip('-n', bridge, 'link', 'set', 'br0', 'up')
    await ip('-n', bridge, 'link', 'set', 'lo', 'up')
    for (const [index, role] of roles.entries()) {
      const name = ns(role)
      await ip('netns', 'add', name)
      // Both ends are born in the bridge's namespace, one moved at once into the role's: the host's namespace
      // never sees an interface of ours.
      await ip(
        '-n',
        bridge,
        'link',
        'add',
        `v${index}`,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        name,
      )
      await ip('-n', bridge, 'link', 'set', `v${index}`, 'master', 'br0')
      await ip('-n', bridge, 'link', 'set', `v${index}`, 'up')
      await ip('-n', name, 'addr', 'add', `${address(role)}/24`, 'dev', 'eth0')
      await ip('-n', name, 'link', 'set', 'eth0', 'up')
      await ip('-n', name, 'link', 'set', 'lo', 'up')
    }
  } catch (error) {
    removeNow()
    live.delete(removeNow)
    throw error
  }

  const pids = async (role: string): Promise<number[]> => {
    const { stdout } = await run('ip', ['netns', 'pids', ns(role)])
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number)
  }

  return {
    prefix,
    subnet,
    namespace: ns,
    address,
    spawn(role, command, args, options = {}) {
      const child = spawn('ip', ['netns', 'exec', ns(role), command, ...args], {
        detached: true,
        stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...options.env },
        ...(options.cwd ? { cwd: options.cwd } : {}),
      })
      const lines: string[] = []
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream }).on('line', (line) => lines.push(line))
      }
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
        child.once('exit', (code, signal) => done({ code, signal }))
        child.once('error', () => done({ code: null, signal: null }))
      })
      // `ip netns exec` enters the namespace and execs the command: the child's pid is the command's own.
      const pid = child.pid as number
      const proc: NetnsProcess = {
        pid,
        child,
        exited,
        output: () => lines.join('\n'),
        stop: (graceMs = 2000) => stopProcessGroup(pid, graceMs),
      }
      started.add(proc)
      return proc
    },
    async exec(role, command, args) {
      const { stdout } = await run('ip', ['netns', 'exec', ns(role), command, ...args])
      return stdout
    },
    async waitForPort(role, port, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const { stdout } = await run('ip', ['netns', 'exec', ns(role), 'ss', '-Hltn', `sport = :${port}`])
        if (stdout.trim() !== '') return
        if (Date.now() > deadline)
          throw new Error(`nothing listens on port ${port} in ${ns(role)} after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    pids,
    async settledPids(role, expected = [], timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      const want = [...expected].sort((a, b) => a - b).join(',')
      for (;;) {
        const now = (await pids(role)).sort((a, b) => a - b)
        if (now.join(',') === want || Date.now() > deadline) return now
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    async remove() {
      try {
        for (const proc of started) await proc.stop(1000)
      } finally {
        removeNow()
        live.delete(removeNow)
      }
    },
  }
}

/** SIGKILL to every process still in a namespace of ours (its sshd's sessions, say); bounded wait for them. */
function killAllIn(name: string): void {
  for (let round = 0; round < 50; round += 1) {
    const pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
  }
}

/** Runs `body` with a fresh test network and removes the network afterwards, whatever `body` did. */
export async function withTestNetwork<T>(
  roles: readonly string[],
  body: (network: TestNetwork) => Promise<T>,
): Promise<T> {
  const network = await createTestNetwork(roles)
  try {
    return await body(network)
  } finally {
    await network.remove()
  }
}
