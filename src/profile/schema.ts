import { z } from 'zod'
import { databaseKinds } from '../kinds/database-kinds.js'
import type { ProxyFeature } from '../kinds/server-kind.js'
import { serverKinds } from '../kinds/server-kinds.js'
import { parseDatabaseUrl } from './parse-database-url.js'

/** A duration written as text: "5s", "250ms", "2m". */
export const durationPattern = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/

/** "5s", "250ms", "2m" or a number of seconds → milliseconds. */
export const duration = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = parseDurationMs(value)
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration`, params: { kind: 'duration' } })
      return z.NEVER
    }
    return ms
  })
  .refine((ms) => ms > 0, { message: 'must be longer than zero', params: { kind: 'positive-duration' } })

function parseDurationMs(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined
  const match = durationPattern.exec(value)
  if (!match) return undefined
  const factor = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm']
  return Number(match[1]) * factor
}

const count = (min: number, max: number) => z.number().int().min(min).max(max)

const placeholderText = z.string().min(1)

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  message: 'may hold only letters, digits, ".", "_" and "-"',
})

/** "0-3,6" (taskset's syntax), one CPU number, or a list of them → the CPU numbers, sorted, each once. */
const cpuList = z
  .union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative()).min(1), z.string()])
  .transform((value, ctx) => {
    const cpus = parseCpuList(value)
    if (!cpus) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a CPU list`,
        params: { kind: 'cpu-list' },
      })
      return z.NEVER
    }
    return cpus
  })
  .describe('CPU numbers as taskset writes them: 0, "0-3", "0,2" or [0, 2].')

export function parseCpuList(value: number | number[] | string): number[] | undefined {
  if (typeof value === 'number') return [value]
  if (Array.isArray(value)) return [...new Set(value)].sort((a, b) => a - b)
  const cpus = new Set<number>()
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part)
    if (!match) return undefined
    const from = Number(match[1])
    const to = Number(match[2] ?? match[1])
    if (to < from || to - from > 4096) return undefined
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu)
  }
  return [...cpus].sort((a, b) => a - b)
}

/** The kinds an app can be (app: the user's command), read from the server kinds' registry. */
export type AppKind = {
  [K in KindName]: (typeof serverKinds)[K]['tier']['cpus'] extends 'app' ? K : never
}[KindName]
export const appKinds = (Object.keys(serverKinds) as KindName[]).filter(
  (name): name is AppKind => serverKinds[name].tier.cpus === 'app',
) as [AppKind, ...AppKind[]]

export const appSchema = z.strictObject({
  kind: z
    .enum(appKinds)
    .default('app')
    .describe("What runs it: the user's command (app, the default), or a server kind such as php-fpm."),
  command: z
    .string()
    .min(1)
    .optional()
    .describe('Program to run (kind app): a name on PATH or a path (relative to cwd).'),
  script: z
    .string()
    .min(1)
    .optional()
    .describe('The script every request runs (kind php-fpm), relative to cwd.'),
  module: z
    .string()
    .min(1)
    .optional()
    .describe('The WSGI app as module:callable (kind uwsgi), found from cwd.'),
  args: z
    .array(placeholderText)
    .default([])
    .describe('Arguments; `{port}`, `{host}` and `{workers}` are substituted.'),
  workerArgs: z
    .array(placeholderText)
    .default([])
    .describe('Appended to args only when a stack sets `workers`.'),
  socketArgs: z
    .array(placeholderText)
    .default([])
    .describe(
      'Appended to args only when a stack sets `upstream: unix`: where `{socket}` goes, e.g. [-b, "unix:{socket}"].',
    ),
  cwd: z.string().default('.').describe("Working directory, relative to the profile file's folder."),
  env: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .default({})
    .describe("Environment of the app's processes; placeholders work here too, e.g. PORT: {port}."),
  ready: z
    .strictObject({
      path: z
        .string()
        .startsWith('/')
        .default('/')
        .describe('The path bench asks for until the app answers.'),
      status: count(100, 599).default(200).describe('The status that means ready.'),
      timeout: duration.default(10_000).describe('How long bench waits for it.'),
    })
    .prefault({})
    .describe('How bench knows the app is up: an answer to a GET of path with status, within timeout.'),
})

type KindName = keyof typeof serverKinds
/** The kinds that can stand in front of the app (proxy:), read from the server kinds' registry. */
export type ProxyKind = {
  [K in KindName]: (typeof serverKinds)[K]['tier']['cpus'] extends 'proxy' ? K : never
}[KindName]
export const proxyKinds = (Object.keys(serverKinds) as KindName[]).filter(
  (name): name is ProxyKind => serverKinds[name].tier.cpus === 'proxy',
) as [ProxyKind, ...ProxyKind[]]

/** The proxy kinds that implement `feature`, from their modules. */
export function kindsWith(feature: ProxyFeature): ProxyKind[] {
  return proxyKinds.filter((kind) =>
    (serverKinds[kind].features as readonly ProxyFeature[]).includes(feature),
  )
}

const byKinds = (feature: ProxyFeature, what: string) =>
  `${what} Needs proxy: ${kindsWith(feature).join(' or ')}.`

type DatabaseKindName = keyof typeof databaseKinds
/** The databases bench can run for a stack, read from the database kinds' registry. */
const databaseKindNames = Object.keys(databaseKinds) as [DatabaseKindName, ...DatabaseKindName[]]

/** An existing PostgreSQL (database: { url }): postgres:// or postgresql://, as libpq and pg read it. */
const databaseUrl = z.string().superRefine((value, ctx) => {
  const url = parseDatabaseUrl(value)
  if (!url) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL`, params: { kind: 'database-url' } })
  } else if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a PostgreSQL URL (it starts with ${url.protocol}//)`,
      params: { kind: 'database-url' },
    })
  }
})

/** The pool size an app is given (DATABASE_POOL, {pool}) when its stack names a database but no pool. */
export const defaultPool = 10

export const stackSchema = z.strictObject({
  name: name.describe("The stack's name in tables, reports and --stacks."),
  app: z.string().optional().describe('A launched stack names an app of `apps`.'),
  proxy: z.enum(proxyKinds).optional().describe('The reverse proxy in front of the app.'),
  workers: count(1, 256).optional().describe("The app's own worker model: substituted as `{workers}`."),
  instances: count(1, 64).default(1).describe('App processes load-balanced by the proxy.'),
  upstream: z
    .enum(['tcp', 'unix'])
    .default('tcp')
    .describe(
      "How the proxy reaches the app: TCP on a free port, or a Unix socket file in the run's temp folder.",
    ),
  /** The proxy serves files of `dir` (relative to the profile's folder) itself at `path`, instead of the app. */
  static: z
    .strictObject({
      path: z.string().startsWith('/').default('/static/').describe('Where the proxy serves them.'),
      dir: z.string().min(1).describe("The files' folder, relative to the profile's folder."),
    })
    .optional()
    .meta({
      description: byKinds(
        'static',
        "The proxy serves the files of dir (relative to the profile's folder) at path.",
      ),
    }),
  /** The proxy caches the app's 200 responses at `path` (exact match) for `ttl`. */
  cache: z
    .strictObject({
      path: z.string().startsWith('/').describe('The exact path whose 200 responses are cached.'),
      ttl: duration.default(60_000).describe('How long a cached response is served.'),
    })
    .optional()
    .meta({
      description: byKinds('cache', "The proxy caches the app's 200 responses at path (exact) for ttl."),
    }),
  /** The proxy terminates TLS with a self-signed certificate made at start (openssl); load goes over HTTPS. */
  tls: z
    .boolean()
    .default(false)
    .meta({
      description: byKinds(
        'tls',
        'The proxy terminates TLS with a self-signed certificate; load goes over HTTPS.',
      ),
    }),
  port: count(1, 65_535)
    .optional()
    .describe(
      "Fixed port for the stack's entry point (the proxy, or the app when direct); picked free when absent.",
    ),
  url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('An already-running server to load instead of launching one (not stopped by bench).'),
  /**
   * The app's database: sqlite (a file bench creates and seeds), postgres (a PostgreSQL server bench runs and
   * seeds), or { url } (one the user runs: neither started nor seeded). The app gets DATABASE_URL.
   */
  database: z
    .union([
      z.enum(databaseKindNames),
      z.strictObject({
        url: databaseUrl.describe(
          'An existing PostgreSQL: postgres:// or postgresql://, as libpq and pg read it.',
        ),
      }),
    ])
    .optional()
    .meta({
      description:
        "The app's database: sqlite (a file bench creates and seeds), postgres (a PostgreSQL server bench runs and seeds), or { url: postgresql://… } (an existing one, not started or seeded). The app gets it as DATABASE_URL.",
    }),
  /** Connections in each app process's database pool: env DATABASE_POOL and placeholder {pool} (default 10). */
  pool: count(1, 1000).optional().meta({
    description:
      "Connections in each app process's database pool, given as env DATABASE_POOL and placeholder {pool} (default 10). Needs database.",
  }),
  cpus: z
    .strictObject({ proxy: cpuList.optional(), app: cpuList.optional(), database: cpuList.optional() })
    .optional()
    .describe(
      'Pins each tier\'s processes to these CPUs (taskset), e.g. { proxy: 1, app: "2-3", database: 0 }.',
    ),
})

/** TechEmpower's test types a request's answer can be verified as, before its stack is measured. */
const verifyKinds = ['json', 'db', 'queries', 'fortunes', 'updates'] as const

export const requestSchema = z.strictObject({
  method: z
    .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
    .default('GET')
    .describe('The HTTP method.'),
  path: z.string().startsWith('/').describe('The path, with its query, e.g. /queries?queries=20.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Request headers, by name.'),
  body: z.string().optional().describe('The request body.'),
  weight: count(1, 1000)
    .default(1)
    .describe("This request's share of the mix: weight ÷ the sum of the weights."),
  /**
   * Fetched once after the stack starts and checked as TechEmpower does, before any cell is measured (a failed
   * check fails the stack's cells): json, any JSON; db, one {"id","randomNumber"} object; queries and updates,
   * an array of as many as the path's queries=N clamped to 1…500; fortunes, TechEmpower's exact fortunes page.
   */
  verify: z.enum(verifyKinds).optional().meta({
    description:
      'Fetched once when the stack has started and checked as TechEmpower does before any cell is measured: json (any JSON), db (one {"id","randomNumber"} object), queries and updates (as many as queries=N, clamped to 1…500), fortunes (the exact fortunes page).',
  }),
})

const rateValue = z.number().positive().max(1_000_000)

/**
 * The load engines and the loops each runs (implementations registered in src/load/thread-engines.ts). bench:
 * bench's own raw-socket HTTP/1.1 engine. autocannon: closed loop only, since its rate modes send per-second
 * bursts (DESIGN.md, autocannon defect 1).
 */
export const engineLoops = { bench: ['closed', 'open'], autocannon: ['closed'] } as const
export const engineNames = Object.keys(engineLoops) as [EngineName, ...EngineName[]]

/**
 * What the load speaks to the stack's entry point: HTTP/1.1, HTTP/2 over TLS (ALPN h2: the stack needs
 * `tls: true`), or HTTP/2 in clear text with prior knowledge (h2c). bench's own engine speaks all three.
 */
export const wireProtocols = ['http1', 'h2', 'h2c'] as const

/** A phase's protocol: one of the request/response wire protocols, or WebSocket (held connections and messages). */
export const phaseProtocols = [...wireProtocols, 'websocket'] as const

export const websocketSchema = z
  .strictObject({
    path: z.string().startsWith('/').default('/ws').describe('Where the upgrade is asked for.'),
    ramp: z
      .number()
      .positive()
      .max(100_000)
      .default(1000)
      .describe('Connections opened per second, until all are (the measured time starts once they are).'),
    messages: z
      .union([z.enum(['idle', 'pingpong']), z.number().positive().max(10_000)])
      .default('pingpong')
      .describe('idle, pingpong, or messages per second per connection.'),
    messageBytes: count(1, 1_000_000).default(32).describe('Payload of each message sent (a binary frame).'),
    maxMessageBytes: count(1, 1_000_000_000)
      .default(1_048_576)
      .describe(
        'A message from the server larger than this is counted (tooLarge) and its connection closed.',
      ),
  })
  .describe(
    "protocol: websocket — how the phase's connections are opened and what they do once open: nothing (idle, to see what holding them costs), messages at a rate per connection (open loop, round trip from the intended send), or ping-pong (closed loop: each connection sends its next message when the echo of the last arrives).",
  )

export const phaseSchema = z.strictObject({
  name: name.describe("The phase's name in tables and reports."),
  connections: z
    .union([count(1, 20_000), z.array(count(1, 20_000)).min(1)])
    .transform((c) => (Array.isArray(c) ? c : [c]))
    .optional()
    .describe('Closed loop: one connection count, or a ladder (one measured step per count).'),
  rate: z
    .union([
      rateValue,
      z.array(rateValue).min(1),
      z.strictObject({
        from: rateValue.describe("req/s at the step's start."),
        to: rateValue.describe('req/s at its end.'),
      }),
    ])
    .transform((r) =>
      typeof r === 'number'
        ? [{ from: r, to: r }]
        : Array.isArray(r)
          ? r.map((x) => ({ from: x, to: x }))
          : [r],
    )
    .optional()
    .describe(
      'Open loop: req/s to offer — one rate, a ladder of rates, or a ramp { from, to } over the step.',
    ),
  spacing: z
    .enum(['uniform', 'poisson'])
    .optional()
    .describe('Open loop: time between intended sends — even, or exponential (a Poisson process).'),
  maxConnections: count(1, 20_000)
    .optional()
    .describe(
      'Open loop: connections opened at most; a request due while all are busy waits (and counts as blocked).',
    ),
  engine: z
    .enum(engineNames)
    .default('bench')
    .describe("The load engine: bench's own (default), or autocannon for closed loop."),
  protocol: z
    .enum(phaseProtocols)
    .default('http1')
    .describe(
      'The protocol the load speaks: http1, h2 (TLS, ALPN), h2c (clear text, prior knowledge) or websocket.',
    ),
  websocket: websocketSchema
    .optional()
    .describe("protocol: websocket: the upgrade's path, the ramp, and what the connections send."),
  streams: count(1, 1000)
    .default(1)
    .describe('HTTP/2: requests in flight at once on each connection (concurrent streams), like h2load -m.'),
  generators: count(1, 64)
    .optional()
    .describe(
      'Load generator threads; default: one per CPU of cpus.generator, else one per four cores, at least one.',
    ),
  churn: count(1, 1_000_000)
    .optional()
    .describe('Closed loop: open a new connection every N requests (1 = every request).'),
  idleConnections: count(1, 20_000)
    .optional()
    .describe('A crowd of keep-alive connections held open, doing nothing, during every step.'),
  slowClients: z
    .strictObject({
      kind: z
        .enum(['slow-headers', 'slow-body', 'slow-read'])
        .describe(
          'slow-headers (slowloris), slow-body (trickles a request body) or slow-read (reads the response slowly).',
        ),
      connections: count(1, 5_000).describe('How many, each for the whole step.'),
      bytesPerSecond: z
        .number()
        .positive()
        .max(100_000_000)
        .default(10)
        .describe('How fast each sends (slow-headers, slow-body) or reads (slow-read).'),
      path: z
        .string()
        .startsWith('/')
        .default('/')
        .describe('What they ask for: slow-body e.g. /upload, slow-read a large response.'),
      bodyBytes: count(1, 1_000_000_000)
        .default(1_000_000)
        .describe('slow-body: the request body it announces and trickles.'),
    })
    .optional()
    .describe('Slow clients running alongside the normal load during every step.'),
  duration: duration.describe('Of each measured step.'),
  warmup: duration.optional().describe('Run before the first step at its load; excluded from statistics.'),
  pipelining: count(1, 64).default(1).describe('HTTP/1.1 requests in flight per connection.'),
  timeout: duration
    .refine((ms) => ms >= 1000, { message: 'must be at least 1s', params: { kind: 'min-timeout' } })
    .default(10_000)
    .describe('A request still unanswered after this long counts as a timeout.'),
  requests: z
    .array(requestSchema)
    .min(1)
    .prefault([{ path: '/' }])
    .describe('The mix each connection cycles through.'),
})

const threshold = z
  .strictObject({
    warn: z.number().nonnegative().describe('Warn past this percent change.'),
    fail: z.number().nonnegative().describe('Fail past this percent change.'),
    maxCv: z
      .number()
      .positive()
      .optional()
      .describe("Robust CV (%) above which an undecided metric's trials are named as noisy."),
  })
  .refine((t) => t.warn <= t.fail, { message: 'warn must not exceed fail', params: { kind: 'warn-fail' } })
  .describe(
    "Percent change (of the baseline, in the direction that is worse) that makes a metric warn or fail when the confidence interval of its change lies past it (error rate: percent of requests, absolute, on the candidate), and the robust coefficient of variation (%) above which an undecided metric's trials are named as noisy.",
  )

export const gateMetrics = ['reqPerSec', 'p50', 'p99', 'errorRate'] as const

export const gateSchema = z.strictObject({
  baseline: z
    .string()
    .optional()
    .describe('A/B in one run (bench run --gate): the stack to compare against, and the one under test.'),
  candidate: z.string().optional().describe('A/B in one run: the stack under test.'),
  alpha: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.05)
    .describe(
      'Family-wise error level: each interval is at 1 − alpha ÷ (the metrics of its family), Bonferroni, and the reported U tests are Holm-corrected over the same family.',
    ),
  family: z
    .enum(['gate', 'cell'])
    .default('gate')
    .describe(
      "The family alpha is spent over: gate, every tested metric (req/s, p50, p99) of every cell, so that a gate of many cells is as unlikely to fail falsely as one of a single cell; cell, each cell's three on their own.",
    ),
  /**
   * How the trials of an A/B gate in one run alternate. slices (default): both stacks are started once and kept
   * running, and the load alternates between them in slices (A B B A …), every step of every phase measured for
   * its duration (or sliceMs) after its own short warm-up: a pair of trials spans a few seconds, so a slow minute of
   * the machine slows both of its sides alike and cancels in their ratio. restart: each trial starts its stack
   * afresh and runs the phases as written (A B B A …, a restart cycle apart). Measured here with 2 s trials
   * (npm run bench:gate-noise): the per-pair ratios of slices spread 0.3–2.3 % (req/s), 0.1–1.6 % (p50), 1.1–5.5 %
   * (p99), 0.4–1.0 % (CPU/request) on Node and nginx → gunicorn -w 2, those of restarts 0.8–3.3 %, 0.2–2.5 %,
   * 3.8–5.7 % and 1.3–1.5 %.
   */
  alternate: z.enum(['restart', 'slices']).default('slices').meta({
    description:
      'A/B trials: slices (both stacks kept running, the load alternating between them A B B A, each step measured for its duration or sliceMs after a warm-up of its own, each slice a trial) or restart (each trial starts its stack afresh, phases as written).',
  }),
  /** alternate: slices — the measured length of each slice (each step of each phase, one trial), ms; by default
   * the step's own duration. Plain milliseconds, not a duration: the gate's settings are stored in results and
   * parsed again from there. At about 1,000 req/s a 1 s slice holds some 10 answers above its p99: 40 recorded
   * A/A pairs of 1 s slices read a p99 pair-ratio spread of 9.0 % on nginx → gunicorn -w 2, 2 s slices 5.5 %. */
  sliceMs: z.number().int().min(100).max(60_000).optional().meta({
    description: "alternate: slices — measured length of each slice, ms (default: the phase's duration).",
  }),
  /** alternate: slices — the warm-up each slice gets, unmeasured, on the stack whose turn it is, ms. */
  sliceWarmupMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(500)
    .meta({ description: 'alternate: slices — unmeasured warm-up before each slice, ms (0: none).' }),
  metrics: z
    .strictObject({
      reqPerSec: threshold.default({ warn: 3, fail: 5, maxCv: 10 }),
      p50: threshold.default({ warn: 3, fail: 5, maxCv: 10 }),
      // a tail percentile of a short trial varies more from trial to trial than a median does
      p99: threshold.default({ warn: 5, fail: 10, maxCv: 25 }),
      errorRate: threshold.default({ warn: 0.1, fail: 1 }),
      /**
       * Each tier's CPU time (user + system of its processes) per successful response: moves far less with the
       * host than req/s and latency do, so it resolves smaller changes. Gated for every tier bench launched.
       */
      cpuPerRequest: threshold.default({ warn: 3, fail: 5, maxCv: 10 }),
    })
    .prefault({})
    .describe('The thresholds of each gated metric: req/s, p50, p99 and the error rate.'),
})

export const sloSchema = z
  .strictObject({
    p50: duration.optional().describe('The highest corrected p50 a passing step may have.'),
    p90: duration.optional().describe('The highest corrected p90 a passing step may have.'),
    p99: duration.optional().describe('The highest corrected p99 a passing step may have.'),
    p999: duration.optional().describe('The highest corrected p999 a passing step may have.'),
    errorRate: z
      .number()
      .nonnegative()
      .max(100)
      .optional()
      .describe('Failed requests, percent of all requests.'),
  })
  .refine((slo) => Object.values(slo).some((v) => v !== undefined), {
    message: 'sets no objective',
    params: { kind: 'empty-slo' },
  })
  .describe(
    'Service-level objective: a step passes only if the corrected latency percentiles and the error rate stay within it.',
  )

export const capacitySchema = z
  .strictObject({
    precision: z
      .number()
      .gt(0)
      .max(50)
      .default(2)
      .describe('Bisection stops once the failing rate is within this many percent of the passing one.'),
    maxRate: rateValue
      .default(100_000)
      .describe('Doubling stops here: a stack still within the SLO at this rate is reported as "at least".'),
    confirm: duration
      .optional()
      .describe('The run that confirms the rate found; default twice the phase duration.'),
    target: rateValue
      .optional()
      .describe('Sizing: the req/s to serve (bench capacity --target overrides it).'),
    headroom: z
      .number()
      .gt(0)
      .max(1)
      .default(0.75)
      .describe(
        "Sizing: the share of a machine's capacity to plan on using (bench capacity --headroom overrides it).",
      ),
  })
  .describe(
    'bench capacity: how the search for the highest rate within the SLO proceeds, and the sizing target.',
  )

export const scalingParameters = ['workers', 'instances'] as const

const scalingSchema = z
  .strictObject({
    stacks: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('The stacks to sweep; default every launched stack.'),
    workers: z.array(count(1, 256)).min(1).optional().describe('Worker counts to sweep.'),
    instances: z
      .array(count(1, 64))
      .min(1)
      .optional()
      .describe('Instance counts to sweep (stacks behind a proxy).'),
  })
  .describe(
    'bench capacity: throughput measured at each worker (or instance) count, then fitted with the USL.',
  )

/** An IPv4 or IPv6 address, as written (no brackets, no zone). */
const ipAddress = z.union([z.ipv4(), z.ipv6()])

export const profileSchema = z.strictObject({
  name: z.string().min(1).describe("The profile's name."),
  description: z.string().optional().describe('What the profile is for, in words.'),
  host: z
    .string()
    .refine((h) => ipAddress.safeParse(h).success && h !== '0.0.0.0' && h !== '::', {
      message: 'must be one IP address of this machine',
      params: { kind: 'host' },
    })
    .default('127.0.0.1')
    .describe(
      'Address launched stacks bind to (every listener: proxy, app) and load is sent to: an IP address of this machine. Loopback or the benchmarking range 198.18.0.0/15 as is; any other address only with --allow-remote.',
    ),
  trials: z
    .union([count(1, 100), z.literal('auto')])
    .default(1)
    .describe(
      'Times each stack is measured, interleaved (A B, B A, …); or auto: trials are added in interleaved pairs, from minTrials to maxTrials, until the gate decides (gate/spent-alpha.ts), or the budget is spent.',
    ),
  minTrials: count(3, 100).default(6).describe('trials: auto — the trials run before the gate first looks.'),
  maxTrials: count(3, 100).default(20).describe('trials: auto — the most trials run, the last look.'),
  budget: duration
    .optional()
    .describe(
      'trials: auto — no new pair of trials starts once it would end past this much time from the start.',
    ),
  restart: z
    .enum(['trial', 'run'])
    .default('trial')
    .describe(
      'Restart each stack for every trial (default), or start it once and keep it for all its trials.',
    ),
  cpus: z
    .strictObject({ generator: cpuList.optional() })
    .optional()
    .describe(
      'Pins bench itself, the load generator, to these CPUs (its threads: one per CPU unless phases say).',
    ),
  gate: gateSchema
    .optional()
    .describe('The A/B gate of bench run --gate: the two stacks, alpha and the thresholds.'),
  slo: sloSchema.optional(),
  capacity: capacitySchema.prefault({}),
  scaling: scalingSchema.optional(),
  apps: z
    .record(z.string(), appSchema)
    .default({})
    .describe("What to launch, by name: a stack's app names one."),
  stacks: z
    .array(stackSchema)
    .min(1)
    .describe('The stacks to compare, side by side: every phase runs on every stack.'),
  phases: z
    .array(phaseSchema)
    .min(1)
    .describe('The load, phase after phase: closed loop (connections) or open loop (rate), never both.'),
})

export type Profile = z.output<typeof profileSchema>
export type ProfileInput = z.input<typeof profileSchema>
export type AppSpec = z.output<typeof appSchema>
export type StackSpec = z.output<typeof stackSchema>
export type PhaseSpec = z.output<typeof phaseSchema>
export type RequestSpec = z.output<typeof requestSchema>
export type WireProtocol = (typeof wireProtocols)[number]
export type PhaseProtocol = (typeof phaseProtocols)[number]
export type VerifyKind = NonNullable<RequestSpec['verify']>
export type SlowClientsSpec = NonNullable<PhaseSpec['slowClients']>
export type RateRamp = NonNullable<PhaseSpec['rate']>[number]
export type GateConfig = z.output<typeof gateSchema>
export type GateMetric = (typeof gateMetrics)[number]
export type EngineName = keyof typeof engineLoops
export type Slo = z.output<typeof sloSchema>
export type CapacityConfig = z.output<typeof capacitySchema>
export type ScalingParameter = (typeof scalingParameters)[number]
