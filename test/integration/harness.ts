import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, before } from 'node:test'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import type { ClosedLoadSpec, OpenLoadSpec, WebSocketLoadSpec } from '../../src/load/contract/load-spec.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { websocketSchema } from '../../src/profile/schema.js'
import { readResultSet } from '../../src/results/read-result-set.js'
import type { ResultSet } from '../../src/results/results-file-schema.js'
import { groupMembers, stopProcessGroup } from '../../src/stacks/process-group.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { waitFor } from '../wait-for.js'

export { waitFor }

/** The repository root (tests run from dist/test/integration). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const mainJs = join(repoRoot, 'dist/src/cli/main.js')
export const fixtures = join(repoRoot, 'test/fixtures')

/** The reference apps as profile YAML, with absolute paths so a profile can live in a temp folder. */
export const appsYaml = `
apps:
  node:
    command: node
    args: [${join(repoRoot, 'apps/node/server.mjs')}, --port, "{port}"]
    workerArgs: [--workers, "{workers}", --sched, rr]
    ready: { path: /health }
  flask:
    command: gunicorn
    args: [--chdir, ${join(repoRoot, 'apps/flask')}, -b, "127.0.0.1:{port}", app:app]
    workerArgs: [-w, "{workers}"]
    ready: { path: /health }
  asgi:
    command: uvicorn
    args: [--app-dir, ${join(repoRoot, 'apps/asgi')}, --host, "{host}", --port, "{port}", --log-level, warning, app:app]
    ready: { path: /health }
`

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bench-test-'))
}

/** Writes a profile into a fresh temp folder; returns its path and the folder. */
export function writeProfile(yaml: string): { file: string; dir: string } {
  const dir = tempDir()
  const file = join(dir, 'profile.yml')
  writeFileSync(file, yaml)
  return { file, dir }
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the bench CLI; `whileRunning` gets the child to poke at (e.g. to send SIGINT). */
export function runCli(
  args: string[],
  whileRunning?: (child: ReturnType<typeof spawn>) => void,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [mainJs, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }))
    whileRunning?.(child)
  })
}

/** A results file as bench reads it: a run that never finished is read from its records beside it. */
export function readResults(file: string): ResultSet {
  return readResultSet(file, 'results file')
}

/** Every process group bench recorded in a results file: still-live members, after a short grace. */
export async function leftoverProcesses(results: ResultSet): Promise<number[]> {
  return membersLeft(
    results.stackRuns.flatMap((run) => run.processes.map((p) => p.pid)),
    2000,
  )
}

/** Waits up to `ms` for every process group to have no live member; returns the members left (none, or the
 * ones still there at the deadline, for the caller's assertion to name). */
export async function membersLeft(pgids: number[], ms: number): Promise<number[]> {
  const left = () => pgids.flatMap(groupMembers)
  await waitFor('every process group to empty', () => left().length === 0, ms, 50).catch(() => undefined)
  return left()
}

/** Stops the groups a (killed) run left behind, so a failing test does not leak processes. */
export async function cleanUp(results: ResultSet): Promise<void> {
  for (const run of results.stackRuns) for (const p of run.processes) await stopProcessGroup(p.pid, 1000)
}

/** A stack trace in CLI output means an error escaped as a crash instead of a message. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text)
}

/** A closed-loop load of GET `path` on one generator thread, for driving a started stack directly. */
export function closedLoad(
  path: string,
  connections: number,
  seconds: number,
  extra: Partial<ClosedLoadSpec> = {},
): ClosedLoadSpec {
  return {
    loop: 'closed',
    engine: 'bench',
    protocol: 'http1',
    streams: 1,
    generators: 1,
    connections,
    pipelining: 1,
    durationMs: seconds * 1000,
    timeoutMs: 10_000,
    requests: [{ method: 'GET', path, headers: {} }],
    ...extra,
  }
}

/** An open-loop load of GET `path`, uniform spacing, on one generator thread. */
export function openLoad(
  rate: { from: number; to: number },
  seconds: number,
  maxConnections: number,
  path = '/',
): OpenLoadSpec {
  const { connections: _c, pipelining: _p, ...common } = closedLoad(path, 1, seconds)
  return { ...common, loop: 'open', rate, spacing: 'uniform', maxConnections, seed: 1 }
}

/** A WebSocket load of `connections` (ramped at 5,000/s unless told) held `seconds`, on one generator thread. */
export function websocketLoad(
  connections: number,
  seconds: number,
  websocket: Partial<WebSocketLoadSpec['websocket']> = {},
  extra: Partial<WebSocketLoadSpec> = {},
): WebSocketLoadSpec {
  const { pipelining: _p, loop: _l, protocol: _x, ...common } = closedLoad('/', connections, seconds)
  return {
    ...common,
    loop: 'websocket',
    protocol: 'websocket',
    websocket: { ...websocketSchema.parse({}), ramp: 5000, ...websocket },
    ...extra,
  }
}

/** An independent client (the ws package): `connections` sockets at `url` in ping-pong for `ms`, round trips in ms, sorted. */
export async function wsPingPong(url: string, connections: number, ms: number): Promise<number[]> {
  const times: number[] = []
  const sockets = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url)
          ws.once('open', () => resolve(ws))
          ws.once('error', reject)
        }),
    ),
  )
  const end = performance.now() + ms
  const payload = Buffer.alloc(32, 7)
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sentAt = performance.now()
          ws.on('message', () => {
            const now = performance.now()
            times.push(now - sentAt)
            if (now >= end) return resolve()
            sentAt = now
            ws.send(payload)
          })
          ws.send(payload)
        }),
    ),
  )
  for (const ws of sockets) ws.close()
  return times.sort((a, b) => a - b)
}

/**
 * The stacks of a profile (the reference apps of appsYaml, then `rest`: its stacks and phases), started before
 * the suite that calls this and stopped after it: `stack(name)` gets one, `all()` every one.
 */
export function suiteStacks(rest: string): {
  stack: (name: string) => RunningStack
  all: () => RunningStack[]
} {
  const parsed = parseProfile(`name: suite\n${appsYaml}\n${rest}`)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const profile = parsed.profile
  const stacks = new Map<string, RunningStack>()
  before(async () => {
    for (const spec of profile.stacks) stacks.set(spec.name, await startStack(spec, profile, tempDir()))
  })
  after(async () => {
    for (const stack of stacks.values()) await stack.stop()
  })
  return { stack: (name) => stacks.get(name) as RunningStack, all: () => [...stacks.values()] }
}
