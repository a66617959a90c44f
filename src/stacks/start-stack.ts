import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { BenchError } from '../bench-error.js'
import { hostPort } from '../kinds/host-port.js'
import type { LaunchInput, ProxyFeature, ServerKind } from '../kinds/server-kind.js'
import type { LoadTarget } from '../load/contract/load-target.js'
import { type AppSpec, defaultPool, type Profile, type StackSpec } from '../profile/schema.js'
import { fastcgiGet } from './fastcgi-get.js'
import { findExecutable } from './find-executable.js'
import { freePort } from './free-port.js'
import { makeCertificate } from './make-certificate.js'
import { machineCpus } from './pin-process.js'
import { groupMembers, waitGroupSize } from './process-group.js'
import { reachUrl } from './reach-url.js'
import { type ManagedProcess, spawnProcess } from './spawn-process.js'
import { stackKinds } from './stack-kinds.js'
import { type RunningDatabase, startDatabase } from './start-database.js'
import type { Tier } from './tier.js'
import { uwsgiGet } from './uwsgi-get.js'
import { httpGet, type ProbeResult, type ReadyOptions, waitReady } from './wait-ready.js'

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
  /** The stack's tiers (the proxy, the app's instances, the database) as process groups, for resource sampling. */
  tiers: Tier[]
  /** The app's database: one bench runs (kind sqlite, postgres), or the user's (kind url). */
  database?: RunningDatabase
  /** Stops every process (proxy first) and removes generated files. Safe to call twice. */
  stop(): Promise<void>
}

/** Distinct free ports: `counts[i]` for tier i, the last tier (the entry point) given `entryPort`. */
async function tierPorts(host: string, counts: number[], entryPort: number): Promise<number[][]> {
  const taken = new Set([entryPort])
  const tiers: number[][] = []
  for (const [i, count] of counts.entries()) {
    if (i === counts.length - 1 && count === 1) {
      tiers.push([entryPort])
      continue
    }
    const ports: number[] = []
    while (ports.length < count) {
      const port = await freePort(host)
      if (taken.has(port)) continue
      taken.add(port)
      ports.push(port)
    }
    tiers.push(ports)
  }
  return tiers
}

/**
 * The CPUs a tier's processes are pinned to: its own list, or every CPU when only bench itself is pinned (a
 * child would otherwise inherit bench's CPUs), or none (unpinned).
 */
function tierCpus(
  stack: StackSpec,
  profile: Profile,
  tier: 'proxy' | 'app' | 'database',
): readonly number[] | undefined {
  return stack.cpus?.[tier] ?? (profile.cpus?.generator ? machineCpus() : undefined)
}

/** The options of the stack that `kind` implements, resolved to paths and seconds. */
async function featureInput(
  kind: ServerKind,
  stack: StackSpec,
  profileDir: string,
  dir: string,
  host: string,
) {
  const has = (feature: ProxyFeature) => kind.features.includes(feature)
  return {
    ...(stack.static && has('static')
      ? { static: { path: stack.static.path, dir: resolve(profileDir, stack.static.dir) } }
      : {}),
    ...(stack.cache && has('cache')
      ? { cache: { path: stack.cache.path, ttlSeconds: Math.max(1, Math.round(stack.cache.ttl / 1000)) } }
      : {}),
    ...(stack.tls && has('tls') ? { tls: await makeCertificate(dir, host) } : {}),
  }
}

interface ProbeTarget {
  scheme: 'http' | 'https'
  host: string
  port: number
  path: string
  /** The app's script (FastCGI). */
  script: string
  /** The Unix socket it listens on, when it does. */
  socket: string | undefined
}

/** How each kind's readiness is probed: until its target answers the app's ready status (or a watched process dies). */
const probes: Record<
  ServerKind['readiness'],
  (target: ProbeTarget, options: ReadyOptions) => Promise<ProbeResult>
> = {
  http: (t, options) =>
    waitReady(`${t.scheme}://${t.socket ? `unix:${t.socket}:` : hostPort(t.host, t.port)}${t.path}`, {
      ...options,
      get: (timeoutMs) => httpGet(`${t.scheme}://${hostPort(t.host, t.port)}${t.path}`, timeoutMs, t.socket),
    }),
  fastcgi: (t, options) =>
    waitReady(
      `fastcgi://${t.socket ? `unix:${t.socket}:` : hostPort(t.host, t.port)}${t.path} (${t.script})`,
      {
        ...options,
        get: (timeoutMs) => fastcgiGet(t, timeoutMs),
      },
    ),
  uwsgi: (t, options) =>
    waitReady(`uwsgi://${t.socket ? `unix:${t.socket}:` : hostPort(t.host, t.port)}${t.path}`, {
      ...options,
      get: (timeoutMs) => uwsgiGet(t, timeoutMs),
    }),
}

/**
 * Launches a stack on `profile.host` and verifies it, tier by tier from the app up: every process of a tier
 * passes its kind's readiness probe (and has forked all its workers), the entry point answers with our token
 * when its kind stamps one, and every process is still alive.
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
  if (stack.url !== undefined) {
    await reachUrl(stack.name, stack.url, profile.phases)
    return {
      name: stack.name,
      baseUrl: new URL(stack.url).origin,
      processes: [],
      startupMs: performance.now() - started,
      tiers: [],
      stop: async () => {},
    }
  }

  const appName = stack.app as string
  const appSpec = profile.apps[appName] as AppSpec
  const cwd = resolve(profileDir, appSpec.cwd)
  const pool = stack.pool ?? defaultPool
  let app = { ...appSpec, name: appName, cwd, script: appSpec.script && resolve(cwd, appSpec.script) }
  const processes: ManagedProcess[] = []
  const graceMs = new Map<ManagedProcess, number>()
  const dirs: string[] = []
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    for (const p of [...processes].reverse()) await p.stop(graceMs.get(p))
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  }
  try {
    let database: RunningDatabase | undefined
    if (typeof stack.database === 'string') {
      database = await startDatabase({
        kind: stack.database,
        stackName: stack.name,
        // only the app reaches it, on this machine: loopback whatever host is (trust authentication, no password)
        host: host.includes(':') ? '::1' : '127.0.0.1',
        // every app process's pool at once, and bench's own connections (seeding, statistics) beside them
        maxConnections: Math.max(100, pool * (stack.workers ?? 1) * stack.instances + 10),
        cpus: tierCpus(stack, profile, 'database'),
        timeoutMs: app.ready.timeout,
        signal,
        onSpawn: hooks.onSpawn,
        own: (process, grace) => {
          processes.push(process)
          graceMs.set(process, grace)
        },
        ownDir: (dir) => dirs.push(dir),
      })
    } else if (stack.database) {
      database = { kind: 'url', url: stack.database.url }
    }
    if (database) {
      app = { ...app, env: { ...app.env, DATABASE_URL: database.url, DATABASE_POOL: String(pool) } }
    }
    const kinds = stackKinds(stack, appSpec)
    const counts = kinds.map((kind) => (kind.tier.cpus === 'app' ? stack.instances : 1))
    const entryPort = stack.port ?? (await freePort(host))
    const ports = await tierPorts(host, counts, entryPort)
    const token = randomBytes(8).toString('hex')
    // upstream: unix — every tier below the entry point listens on a socket file in a folder of the run's own
    let socketDir = ''
    if (stack.upstream === 'unix') {
      socketDir = await mkdtemp(join(tmpdir(), 'bench-sockets-'))
      dirs.push(socketDir)
      await chmod(socketDir, 0o755) // the proxy's workers (nobody) must reach the sockets
    }
    const sockets = kinds.map((kind, t) =>
      socketDir && t < kinds.length - 1
        ? (ports[t] as number[]).map((_, i) => join(socketDir, `${kind.name}-${i + 1}.sock`))
        : undefined,
    )
    const tiers: Tier[] = []
    let answer: ProbeResult | undefined
    const entry = kinds[kinds.length - 1] as ServerKind
    const h2c = profile.phases.some((p) => p.protocol === 'h2c') ? entry.http2.clear : 'none'
    const h2cPort =
      h2c === 'own-port' || (h2c === 'same-port' && stack.tls) ? await freePort(host) : undefined
    for (const [t, kind] of kinds.entries()) {
      const isEntry = t === kinds.length - 1
      const scheme = isEntry && stack.tls ? 'https' : 'http'
      let dir = ''
      if (kind.usesTempDir) {
        dir = await mkdtemp(join(tmpdir(), `bench-${kind.name}-`))
        dirs.push(dir)
        await chmod(dir, 0o755) // nginx workers drop to an unprivileged user and must reach their temp folders
      }
      const features = await featureInput(kind, stack, profileDir, dir, host)
      const instancePorts = ports[t] as number[]
      const launched: { process: ManagedProcess; input: LaunchInput; label: string }[] = []
      for (const [index, listenPort] of instancePorts.entries()) {
        const input: LaunchInput = {
          stackName: stack.name,
          index,
          instances: instancePorts.length,
          workers: stack.workers,
          pool,
          app,
          dir,
          host,
          listenPort,
          upstreamPorts: ports[t - 1] ?? [],
          ...(sockets[t]?.[index] ? { socket: sockets[t]?.[index] } : {}),
          ...(sockets[t - 1] ? { upstreamSockets: sockets[t - 1] } : {}),
          ...(kinds[t - 1]?.speaks === 'fastcgi' ? { fastcgi: { script: app.script ?? '' } } : {}),
          ...(kinds[t - 1]?.speaks === 'uwsgi' ? { uwsgi: true } : {}),
          token,
          ...features,
          ...(isEntry && h2cPort ? { h2cPort } : {}),
        }
        const plan = kind.launch(input)
        for (const [file, text] of Object.entries(plan.files)) await writeFile(join(dir, file), text)
        const cpus = tierCpus(stack, profile, kind.tier.cpus)
        const process = await spawnProcess({
          name: plan.name,
          command: findExecutable(plan.command, plan.cwd) ?? plan.command,
          args: plan.args,
          cwd: plan.cwd,
          env: plan.env,
          ...(cpus ? { cpus } : {}),
        })
        processes.push(process)
        graceMs.set(process, kind.stopGraceMs)
        hooks.onSpawn?.(process)
        launched.push({ process, input, label: plan.label })
      }
      for (const { process, input, label } of launched) {
        answer = await probes[kind.readiness](
          {
            scheme,
            host,
            port: input.listenPort,
            path: app.ready.path,
            script: app.script ?? '',
            socket: input.socket,
          },
          { name: label, status: app.ready.status, timeoutMs: app.ready.timeout, watch: processes, signal },
        )
        const size = kind.groupSize(input)
        if (size !== undefined && !(await waitGroupSize(process.pid, size, app.ready.timeout))) {
          throw new BenchError(
            'stack',
            `${process.name} runs ${groupMembers(process.pid).length - 1} of its ${size - 1} worker processes after ${app.ready.timeout / 1000}s`,
            'raise ready.timeout, or check that {workers} sets the number of worker processes (master + N workers)',
            process.logTail(),
          )
        }
      }
      tiers.unshift({ tier: kind.tier.name, pgids: launched.map((l) => l.process.pid) })
    }
    if (database?.tier) tiers.push(database.tier)
    const baseUrl = `${stack.tls ? 'https' : 'http'}://${hostPort(host, entryPort)}`
    const h2cUrl = h2cPort
      ? `http://${hostPort(host, h2cPort)}`
      : h2c === 'same-port' && !stack.tls
        ? baseUrl
        : undefined
    if (entry.stampsToken && answer?.headers['x-bench-stack'] !== token) {
      throw new BenchError(
        'stack',
        `another server answered on ${baseUrl}, not the ${entry.name} that bench started`,
        'stop the leftover server holding that port and run again',
      )
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
    return {
      name: stack.name,
      baseUrl,
      selfSigned: stack.tls,
      ...(h2cUrl ? { h2cUrl } : {}),
      processes,
      startupMs: performance.now() - started,
      tiers,
      ...(database ? { database } : {}),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
