import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { BenchError } from '../bench-error.js'
import type { LoadTarget } from '../load/load-engine.js'
import type { Tier } from '../monitor/sample-tiers.js'
import type { AppSpec, Profile, StackSpec } from '../profile/schema.js'
import { findExecutable } from './find-executable.js'
import { freePort } from './free-port.js'
import { hostPort } from './host-port.js'
import { makeCertificate } from './make-certificate.js'
import { machineCpus } from './pin-process.js'
import { groupMembers, waitGroupSize } from './process-group.js'
import { renderHaproxyConfig } from './render-haproxy-config.js'
import { renderNginxConfig } from './render-nginx-config.js'
import { type ManagedProcess, spawnProcess } from './spawn-process.js'
import { httpGet, waitReady } from './wait-ready.js'

export interface StartHooks {
  /** Gives up at once when aborted (Ctrl-C). */
  signal?: AbortSignal
  /** Told of every process as soon as it is launched, so a killed run can be cleaned up after. */
  onSpawn?: (process: ManagedProcess) => void
}

export interface RunningStack extends LoadTarget {
  name: string
  processes: ManagedProcess[]
  /** Launch → verified, in ms. */
  startupMs: number
  /** The stack's tiers (the proxy, the app's instances) as process groups, for resource sampling. */
  tiers: Tier[]
  /** Stops every process (proxy first) and removes generated files. Safe to call twice. */
  stop(): Promise<void>
}

function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\{(port|host|workers)\}/g, (_, key: string) => values[key] ?? '')
}

async function distinctFreePorts(host: string, count: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < count) ports.add(await freePort(host))
  return [...ports]
}

function launchApp(
  app: AppSpec,
  stack: StackSpec,
  profileDir: string,
  host: string,
  port: number,
  index: number,
  cpus: readonly number[] | undefined,
) {
  const cwd = resolve(profileDir, app.cwd)
  const values = { port: String(port), host, workers: String(stack.workers ?? 1) }
  const args = [...app.args, ...(stack.workers === undefined ? [] : app.workerArgs)]
  return spawnProcess({
    name: stack.instances > 1 ? `app "${stack.app}" #${index + 1}` : `app "${stack.app}"`,
    command: findExecutable(app.command, cwd) ?? app.command,
    args: args.map((a) => substitute(a, values)),
    cwd,
    env: Object.fromEntries(Object.entries(app.env).map(([k, v]) => [k, substitute(v, values)])),
    ...(cpus ? { cpus } : {}),
  })
}

/**
 * The CPUs a tier's processes are pinned to: its own list, or every CPU when only bench itself is pinned (a
 * child would otherwise inherit bench's CPUs), or none (unpinned).
 */
function tierCpus(stack: StackSpec, profile: Profile, tier: 'proxy' | 'app'): readonly number[] | undefined {
  return stack.cpus?.[tier] ?? (profile.cpus?.generator ? machineCpus() : undefined)
}

async function launchProxy(
  stack: StackSpec,
  host: string,
  listenPort: number,
  upstreamPorts: number[],
  profileDir: string,
  cpus: readonly number[] | undefined,
) {
  const kind = stack.proxy as NonNullable<StackSpec['proxy']>
  const dir = await mkdtemp(join(tmpdir(), `bench-${kind}-`))
  await chmod(dir, 0o755) // nginx workers drop to an unprivileged user and must reach their temp folders
  const token = randomBytes(8).toString('hex')
  const input = {
    dir,
    host,
    listenPort,
    upstreamPorts,
    token,
    ...(stack.static
      ? { static: { path: stack.static.path, dir: resolve(profileDir, stack.static.dir) } }
      : {}),
    ...(stack.cache
      ? { cache: { path: stack.cache.path, ttlSeconds: Math.max(1, Math.round(stack.cache.ttl / 1000)) } }
      : {}),
    ...(stack.tls ? { tls: await makeCertificate(dir) } : {}),
  }
  const configFile = join(dir, `${kind}.conf`)
  await writeFile(configFile, kind === 'nginx' ? renderNginxConfig(input) : renderHaproxyConfig(input))
  const args = kind === 'nginx' ? ['-e', 'stderr', '-p', dir, '-c', configFile] : ['-f', configFile, '-db']
  const process = await spawnProcess({
    name: kind,
    command: findExecutable(kind, dir) ?? kind,
    args,
    cwd: dir,
    env: {},
    ...(cpus ? { cpus } : {}),
  })
  return { process, dir, token }
}

/**
 * Launches a stack on `profile.host` and verifies it: every app instance answers its ready path, the proxy
 * (if any) answers it too with our token header, and every process is still alive.
 */
export async function startStack(
  stack: StackSpec,
  profile: Profile,
  profileDir: string,
  hooks: StartHooks = {},
): Promise<RunningStack> {
  const { signal } = hooks
  const started = performance.now()
  const host = profile.host
  if (stack.url !== undefined) return await reachUrl(stack.name, stack.url, started)

  const app = profile.apps[stack.app as string] as AppSpec
  const processes: ManagedProcess[] = []
  const dirs: string[] = []
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    for (const p of [...processes].reverse()) await p.stop()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  }
  try {
    const entryPort = stack.port ?? (await freePort(host))
    const appPorts = stack.proxy
      ? await distinctFreePorts(host, stack.instances + 1).then((ports) =>
          ports.filter((p) => p !== entryPort).slice(0, stack.instances),
        )
      : [entryPort]
    const track = (p: ManagedProcess) => {
      processes.push(p)
      hooks.onSpawn?.(p)
    }
    for (const [i, port] of appPorts.entries())
      track(await launchApp(app, stack, profileDir, host, port, i, tierCpus(stack, profile, 'app')))
    for (const [i, port] of appPorts.entries()) {
      const proc = processes[i] as ManagedProcess
      await waitReady(`http://${hostPort(host, port)}${app.ready.path}`, {
        name: proc.name,
        status: app.ready.status,
        timeoutMs: app.ready.timeout,
        watch: [proc],
        signal,
      })
      // the first worker answers before the others have forked: wait for master + N workers
      if (
        stack.workers !== undefined &&
        !(await waitGroupSize(proc.pid, stack.workers + 1, app.ready.timeout))
      ) {
        throw new BenchError(
          'stack',
          `${proc.name} runs ${groupMembers(proc.pid).length - 1} of its ${stack.workers} worker processes after ${app.ready.timeout / 1000}s`,
          'raise ready.timeout, or check that {workers} sets the number of worker processes (master + N workers)',
          proc.logTail(),
        )
      }
    }
    const baseUrl = `${stack.tls ? 'https' : 'http'}://${hostPort(host, entryPort)}`
    if (stack.proxy) {
      const proxy = await launchProxy(
        stack,
        host,
        entryPort,
        appPorts,
        profileDir,
        tierCpus(stack, profile, 'proxy'),
      )
      track(proxy.process)
      dirs.push(proxy.dir)
      const answer = await waitReady(`${baseUrl}${app.ready.path}`, {
        name: `${stack.proxy} of stack "${stack.name}"`,
        status: app.ready.status,
        timeoutMs: app.ready.timeout,
        watch: processes,
        signal,
      })
      if (answer.headers['x-bench-stack'] !== proxy.token) {
        throw new BenchError(
          'stack',
          `another server answered on ${baseUrl}, not the ${stack.proxy} that bench started`,
          'stop the leftover server holding that port and run again',
        )
      }
    }
    const dead = processes.find((p) => !p.isAlive())
    if (dead) {
      throw new BenchError(
        'stack',
        `${dead.name} exited right after it became ready`,
        'see its last output below',
        dead.logTail(),
      )
    }
    const tiers: Tier[] = [
      { tier: 'app', pgids: processes.filter((p) => p.name.startsWith('app')).map((p) => p.pid) },
    ]
    if (stack.proxy)
      tiers.unshift({
        tier: stack.proxy,
        pgids: processes.filter((p) => p.name === stack.proxy).map((p) => p.pid),
      })
    return {
      name: stack.name,
      baseUrl,
      selfSigned: stack.tls,
      processes,
      startupMs: performance.now() - started,
      tiers,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A url stack: nothing to launch, only check that something answers there. */
async function reachUrl(name: string, url: string, started: number): Promise<RunningStack> {
  try {
    await httpGet(url, 5000)
  } catch (error) {
    throw new BenchError(
      'stack',
      `nothing answers at ${url} (stack "${name}"): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'start the server first, or fix the url',
    )
  }
  const baseUrl = new URL(url).origin
  return {
    name,
    baseUrl,
    processes: [],
    startupMs: performance.now() - started,
    tiers: [],
    stop: async () => {},
  }
}
