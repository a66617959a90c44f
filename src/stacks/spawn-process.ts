import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { BenchError } from '../bench-error.js'
import { stopProcessGroup } from './process-group.js'

export interface ProcessSpec {
  /** Role in the stack, e.g. "app#1" or "nginx". */
  name: string
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
  /** Pins the process (and all it starts) to these CPUs, through taskset. */
  cpus?: readonly number[]
  /** What stop() sends first (default SIGTERM): SIGINT is PostgreSQL's fast shutdown. */
  stopSignal?: NodeJS.Signals
  /** Runs it as this user (bench as root starting a server that refuses root: PostgreSQL). */
  user?: { uid: number; gid: number }
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ManagedProcess {
  name: string
  pid: number
  /** Settles when the process exits (never rejects). */
  exited: Promise<ExitInfo>
  isAlive(): boolean
  /** The last lines it printed on stdout and stderr. */
  logTail(): string[]
  /** SIGTERM (its stopSignal) to its process group, SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>
}

const tailLines = 20

/** Starts a command in its own process group, keeping the last lines of its output. */
export function spawnProcess(spec: ProcessSpec): Promise<ManagedProcess> {
  return new Promise((resolve, reject) => {
    const [command, args] = spec.cpus
      ? ['taskset', ['-c', spec.cpus.join(','), spec.command, ...spec.args]]
      : [spec.command, spec.args]
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    })
    const tail: string[] = []
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line)
        if (tail.length > tailLines) tail.shift()
      })
    }
    let alive = true
    const exited = new Promise<ExitInfo>((done) => {
      child.once('exit', (code, signal) => {
        alive = false
        done({ code, signal })
      })
    })
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BenchError(
          'stack',
          `cannot start ${spec.name} (${spec.command}): ${error.code ?? error.message}`,
          `check that the command exists and runs, and that its cwd ${spec.cwd} is a folder`,
        ),
      ),
    )
    child.once('spawn', () => {
      const pid = child.pid as number
      resolve({
        name: spec.name,
        pid,
        exited,
        isAlive: () => alive,
        logTail: () => [...tail],
        stop: (graceMs = 3000) => stopProcessGroup(pid, graceMs, spec.stopSignal),
      })
    })
  })
}
