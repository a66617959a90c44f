import { databaseKinds } from '../kinds/database-kinds.js'
import { serverKinds } from '../kinds/server-kinds.js'
import { checkProtocolRules } from './check-protocol-rules.js'
import { closestMatch } from './closest-match.js'
import { listWords } from './list-words.js'
import type { ProfileIssue } from './profile-issue.js'
import {
  type AppSpec,
  appKinds,
  engineLoops,
  engineNames,
  kindsWith,
  type Profile,
  proxyKinds,
} from './schema.js'

type RuleIssue = Omit<ProfileIssue, 'line' | 'column'>

const placeholders = serverKinds.app.placeholders
const braced = placeholders.map((p) => `{${p}}`)
/** "{port}, {host} or {workers}" */
const placeholderList = `${braced.slice(0, -1).join(', ')} or ${braced.at(-1)}`
const [firstProxy, ...otherProxies] = proxyKinds
/** "nginx (or haproxy or apache)" */
const anyProxy = `${firstProxy}${otherProxies.length ? ` (or ${otherProxies.join(' or ')})` : ''}`

const protocolNames = { http: 'HTTP', fastcgi: 'FastCGI', uwsgi: 'uwsgi' } as const

/** An app run by a server kind of its own (php-fpm): no command of the user's, and the script it runs. */
function serverAppIssues(name: string, app: AppSpec, binary: string): RuleIssue[] {
  const issues: RuleIssue[] = []
  const extra = [
    ...(app.command === undefined ? [] : ['command']),
    ...(app.args.length ? ['args'] : []),
    ...(app.workerArgs.length ? ['workerArgs'] : []),
    ...(app.socketArgs.length ? ['socketArgs'] : []),
  ]
  if (extra.length > 0) {
    issues.push({
      path: ['apps', name, extra[0] as string],
      message: `kind ${app.kind} runs ${binary} itself, so ${extra.join(' and ')} ${extra.length > 1 ? 'do' : 'does'} not apply`,
      hint: `remove ${extra.join(' and ')}, or use kind: app to run a command of your own`,
    })
  }
  return issues
}

const entryKeys = ['script', 'module'] as const
const kindsTaking = (key: (typeof entryKeys)[number]) =>
  appKinds.filter((k) => serverKinds[k].entry?.key === key).join(' or ')
/** "php-fpm (with script:) or uwsgi (with module:)" */
const serverAppKinds = appKinds
  .flatMap((k) => {
    const entry = serverKinds[k].entry
    return entry ? [`${k} (with ${entry.key}:)`] : []
  })
  .join(' or ')

/** The key naming the code a server kind runs (script, module): required for that kind, refused for others. */
function entryIssues(name: string, app: AppSpec): RuleIssue[] {
  const own = serverKinds[app.kind].entry
  const issues: RuleIssue[] = entryKeys.flatMap((key) =>
    app[key] !== undefined && own?.key !== key
      ? [
          {
            path: ['apps', name, key],
            message: `${key} applies to apps of kind ${kindsTaking(key)} only`,
            hint: `remove ${key}, or set kind: ${kindsTaking(key)}`,
          },
        ]
      : [],
  )
  if (own && app[own.key] === undefined) {
    issues.push({
      path: ['apps', name],
      message: `an app of kind ${app.kind} needs ${own.what}`,
      hint: `add ${own.key}: (from cwd), e.g. ${own.key}: ${own.example}`,
    })
  }
  return issues
}

/** Rules that span several fields, checked once the profile has the right shape. */
export function checkProfileRules(profile: Profile): RuleIssue[] {
  const issues: RuleIssue[] = []
  const appNames = Object.keys(profile.apps)

  for (const [name, app] of Object.entries(profile.apps)) {
    const kind = serverKinds[app.kind]
    if (kind.binary !== 'app-command') {
      issues.push(...serverAppIssues(name, app, kind.binary.command), ...entryIssues(name, app))
      continue
    }
    if (app.command === undefined) {
      issues.push({
        path: ['apps', name],
        message: 'the app names no command to run',
        hint: `add command: (a program on PATH, or a path relative to cwd), or kind: ${serverAppKinds}`,
      })
    }
    issues.push(...entryIssues(name, app))
    const fields: [string, [string | number, string][]][] = [
      ['args', app.args.map((arg, i) => [i, arg])],
      ['workerArgs', app.workerArgs.map((arg, i) => [i, arg])],
      ['socketArgs', app.socketArgs.map((arg, i) => [i, arg])],
      ['env', Object.entries(app.env)],
    ]
    for (const [field, entries] of fields) {
      for (const [key, text] of entries) {
        for (const match of text.matchAll(/\{([^}]*)\}/g)) {
          const found = match[1] ?? ''
          if ((placeholders as readonly string[]).includes(found)) continue
          const guess = closestMatch(found, placeholders)
          issues.push({
            path: ['apps', name, field, key],
            message: `unknown placeholder {${found}}`,
            hint: guess ? `did you mean {${guess}}?` : `use ${placeholderList}`,
          })
        }
      }
    }
    const all = [...app.args, ...Object.values(app.env)].join(' ')
    if (!all.includes('{port}')) {
      issues.push({
        path: ['apps', name],
        message: 'the app is never told which port to listen on',
        hint: 'put {port} in its args (e.g. [--port, "{port}"]) or env (e.g. PORT: "{port}")',
      })
    }
  }

  const seenStacks = new Set<string>()
  profile.stacks.forEach((stack, i) => {
    if (seenStacks.has(stack.name)) {
      issues.push({
        path: ['stacks', i, 'name'],
        message: `stack name "${stack.name}" is used twice`,
        hint: 'give every stack its own name',
      })
    }
    seenStacks.add(stack.name)
    issues.push(...databaseIssues(profile, i))

    if (stack.url !== undefined) {
      if (
        stack.app !== undefined ||
        stack.proxy !== undefined ||
        stack.workers !== undefined ||
        stack.instances > 1 ||
        stack.port !== undefined
      ) {
        issues.push({
          path: ['stacks', i],
          message:
            'a url stack loads a server that is already running, so it takes no app, proxy, workers, instances or port',
          hint: 'remove url to launch the app, or remove the launch keys',
        })
      }
      return
    }
    if (stack.app === undefined) {
      issues.push({
        path: ['stacks', i],
        message: 'the stack names no app to launch',
        hint: appNames.length
          ? `add app: ${appNames[0]} (apps: ${appNames.join(', ')}), or url: to load a running server`
          : 'define an app under apps: and name it here',
      })
      return
    }
    const app = profile.apps[stack.app]
    if (app === undefined) {
      const guess = closestMatch(stack.app, appNames)
      issues.push({
        path: ['stacks', i, 'app'],
        message: `no app named "${stack.app}"`,
        hint: guess
          ? `did you mean "${guess}"?`
          : appNames.length
            ? `apps are: ${appNames.join(', ')}`
            : 'define it under apps:',
      })
      return
    }
    for (const key of ['static', 'cache', 'tls'] as const) {
      const able = kindsWith(key)
      if (stack[key] && !(able as string[]).includes(stack.proxy ?? '')) {
        issues.push({
          path: ['stacks', i, key],
          message: `${key} is a feature of ${listWords(able, 'and')}, and stack "${stack.name}" has ${stack.proxy ? stack.proxy : 'no proxy'}`,
          hint: `add proxy: ${listWords(able, 'or')}, or remove ${key}`,
        })
      }
    }
    if (stack.instances > 1 && stack.proxy === undefined) {
      issues.push({
        path: ['stacks', i, 'instances'],
        message: `${stack.instances} instances need a proxy to balance them`,
        hint: `add proxy: ${anyProxy}, or set instances: 1`,
      })
    }
    if (stack.upstream === 'unix') {
      if (stack.proxy === undefined) {
        issues.push({
          path: ['stacks', i, 'upstream'],
          message:
            "upstream: unix puts a Unix socket between the proxy and the app, and the stack has no proxy (bench's load goes over TCP)",
          hint: `add proxy: ${anyProxy}, or remove upstream`,
        })
      } else if (
        app.kind === 'app' &&
        ![...app.args, ...app.socketArgs, ...Object.values(app.env)].some((arg) => arg.includes('{socket}'))
      ) {
        issues.push({
          path: ['stacks', i, 'upstream'],
          message: `app "${stack.app}" has no {socket} placeholder, so it cannot listen on the Unix socket of upstream: unix`,
          hint: 'add socketArgs with {socket} to the app (e.g. [-b, "unix:{socket}"] for gunicorn, [--socket, "{socket}"] for the Node app)',
        })
      }
    }
    const speaks = serverKinds[app.kind].speaks
    const passers = proxyKinds.filter((k) => (serverKinds[k].accepts as readonly string[]).includes(speaks))
    if (speaks !== 'http' && !(passers as string[]).includes(stack.proxy ?? '')) {
      issues.push({
        path: ['stacks', i, stack.proxy ? 'proxy' : 'app'],
        message: `app "${stack.app}" (kind ${app.kind}) speaks ${protocolNames[speaks]}, which ${stack.proxy ?? "bench's load"} cannot send it`,
        hint: `add proxy: ${passers.join(' or ')} in front of it`,
      })
    }
    if (
      stack.workers !== undefined &&
      (serverKinds[app.kind].placeholders as readonly string[]).includes('workers') &&
      ![...app.args, ...app.workerArgs].some((arg) => arg.includes('{workers}'))
    ) {
      issues.push({
        path: ['stacks', i, 'workers'],
        message: `app "${stack.app}" has no {workers} placeholder, so workers: ${stack.workers} would change nothing`,
        hint: 'add {workers} to the app\'s workerArgs (e.g. [--workers, "{workers}"] or [-w, "{workers}"])',
      })
    }
  })

  const seenPhases = new Set<string>()
  profile.phases.forEach((phase, i) => {
    if (seenPhases.has(phase.name)) {
      issues.push({
        path: ['phases', i, 'name'],
        message: `phase name "${phase.name}" is used twice`,
        hint: 'give every phase its own name',
      })
    }
    seenPhases.add(phase.name)
    if ((phase.connections === undefined) === (phase.rate === undefined)) {
      issues.push({
        path: ['phases', i],
        message: phase.rate
          ? 'a phase is closed loop (connections) or open loop (rate), not both'
          : 'the phase sets no load',
        hint: 'give connections: N (closed loop: N clients in a loop) or rate: N (open loop: N req/s on a schedule)',
      })
    }
    if (phase.connections !== undefined) {
      for (const key of ['spacing', 'maxConnections'] as const) {
        if (phase[key] !== undefined) {
          issues.push({
            path: ['phases', i, key],
            message: `${key} applies to open-loop (rate) phases only`,
            hint: `remove ${key}, or use rate: instead of connections:`,
          })
        }
      }
    }
    const loop = phase.rate === undefined ? 'closed' : 'open'
    if (!(engineLoops[phase.engine] as readonly string[]).includes(loop)) {
      const able = engineNames.filter((e) => (engineLoops[e] as readonly string[]).includes(loop))
      issues.push({
        path: ['phases', i, 'engine'],
        message: `engine ${phase.engine} cannot run an ${loop}-loop phase`,
        hint: `use engine: ${able.join(' or ')} (the default is bench), or connections: for a closed loop`,
      })
    }
    if (phase.rate !== undefined && phase.churn !== undefined) {
      issues.push({
        path: ['phases', i, 'churn'],
        message: 'churn applies to closed-loop (connections) phases only',
        hint: 'remove churn (an open-loop phase opens connections as it needs them), or use connections:',
      })
    }
    if (phase.churn !== undefined && phase.pipelining > 1) {
      issues.push({
        path: ['phases', i, 'churn'],
        message:
          'churn cannot be combined with pipelining: requests in flight on a churned connection would be lost',
        hint: 'remove churn or set pipelining: 1',
      })
    }
    if (phase.rate !== undefined && phase.pipelining > 1) {
      issues.push({
        path: ['phases', i, 'pipelining'],
        message: 'pipelining applies to closed-loop (connections) phases only',
        hint: 'remove pipelining, or use connections: instead of rate:',
      })
    }
    phase.requests.forEach((request, j) => {
      if (request.body !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
        issues.push({
          path: ['phases', i, 'requests', j, 'body'],
          message: `a ${request.method} request carries no body`,
          hint: 'set method: POST (or PUT, PATCH), or remove body',
        })
      }
      if (request.verify !== undefined && request.method !== 'GET') {
        issues.push({
          path: ['phases', i, 'requests', j, 'verify'],
          message: `verify fetches the request with GET, and this one is a ${request.method}`,
          hint: 'remove verify, or use method: GET',
        })
      }
    })
  })
  issues.push(...checkCapacityRules(profile), ...checkProtocolRules(profile))
  if (profile.trials === 'auto') {
    if (profile.gate?.baseline === undefined || profile.gate.candidate === undefined) {
      issues.push({
        path: ['trials'],
        message: 'trials: auto adds trials until the A/B gate decides, and there is no A/B gate',
        hint: 'add gate: { baseline: <stack>, candidate: <stack> }, or give a number of trials',
      })
    }
    if (profile.minTrials > profile.maxTrials) {
      issues.push({
        path: ['minTrials'],
        message: `minTrials (${profile.minTrials}) is more than maxTrials (${profile.maxTrials})`,
        hint: 'lower minTrials or raise maxTrials',
      })
    }
  }
  if (profile.gate) {
    const stackNames = profile.stacks.map((s) => s.name)
    const { baseline, candidate } = profile.gate
    if ((baseline === undefined) !== (candidate === undefined)) {
      issues.push({
        path: ['gate'],
        message: 'an A/B gate needs both baseline and candidate',
        hint: 'name the two stacks to compare, or neither (to gate against a stored result)',
      })
    }
    for (const key of ['baseline', 'candidate'] as const) {
      const name = profile.gate[key]
      if (name !== undefined && !stackNames.includes(name)) {
        const guess = closestMatch(name, stackNames)
        issues.push({
          path: ['gate', key],
          message: `no stack named "${name}"`,
          hint: guess ? `did you mean "${guess}"?` : `stacks are: ${stackNames.join(', ')}`,
        })
      }
    }
    if (baseline !== undefined && baseline === candidate) {
      issues.push({
        path: ['gate', 'candidate'],
        message: 'the candidate is the baseline itself',
        hint: 'name another stack (an A/A check needs two stacks with the same app)',
      })
    }
  }
  return issues
}

/** database, pool and cpus.database: a launched stack's, and pool and cpus.database only with a database to apply to. */
function databaseIssues(profile: Profile, i: number): RuleIssue[] {
  const stack = profile.stacks[i] as Profile['stacks'][number]
  const issues: RuleIssue[] = []
  const { database } = stack
  if (database !== undefined && stack.url !== undefined) {
    issues.push({
      path: ['stacks', i, 'database'],
      message: 'a url stack is a server that is already running, so bench cannot give its app a database',
      hint: 'remove database, or launch the app (app: instead of url:)',
    })
  }
  if (stack.pool !== undefined && database === undefined) {
    issues.push({
      path: ['stacks', i, 'pool'],
      message: `pool sizes the app's database pool, and stack "${stack.name}" names no database`,
      hint: `add database: ${Object.keys(databaseKinds).join(' or ')} (or { url: … }), or remove pool`,
    })
  }
  const tiered = Object.entries(databaseKinds).flatMap(([name, kind]) => (kind.tier ? [name] : []))
  if (stack.cpus?.database !== undefined && !(typeof database === 'string' && tiered.includes(database))) {
    issues.push({
      path: ['stacks', i, 'cpus', 'database'],
      message:
        database === undefined
          ? `stack "${stack.name}" names no database to pin`
          : typeof database === 'string'
            ? `${database} runs inside the app's process, so it has no processes of its own to pin`
            : 'bench does not run a database given by url, so it cannot pin it',
      hint: `use database: ${tiered.join(' or ')}, or remove cpus.database (cpus.app pins an embedded database with its app)`,
    })
  }
  return issues
}

/** slo: needs an open-loop phase to search with; scaling: needs a closed-loop phase and stacks it can vary. */
function checkCapacityRules(profile: Profile): RuleIssue[] {
  const issues: RuleIssue[] = []
  if (profile.slo && !profile.phases.some((p) => p.rate !== undefined)) {
    issues.push({
      path: ['slo'],
      message: 'the SLO search needs an open-loop phase: its rate is where the search starts',
      hint: 'add a phase with rate: N (e.g. rate: 250), or remove slo:',
    })
  }
  const scaling = profile.scaling
  if (!scaling) return issues
  if ((scaling.workers === undefined) === (scaling.instances === undefined)) {
    issues.push({
      path: ['scaling'],
      message: 'a sweep varies either workers or instances',
      hint: 'give one of workers: [1, 2, 4] or instances: [1, 2, 4]',
    })
  }
  if (!profile.phases.some((p) => p.connections !== undefined)) {
    issues.push({
      path: ['scaling'],
      message: 'the scaling sweep measures throughput with a closed-loop phase, and the profile has none',
      hint: 'add a phase with connections: N (enough to saturate the largest count, e.g. 64)',
    })
  }
  const stackNames = profile.stacks.map((s) => s.name)
  scaling.stacks?.forEach((name, i) => {
    const stack = profile.stacks.find((s) => s.name === name)
    if (!stack) {
      const guess = closestMatch(name, stackNames)
      issues.push({
        path: ['scaling', 'stacks', i],
        message: `no stack named "${name}"`,
        hint: guess ? `did you mean "${guess}"?` : `stacks are: ${stackNames.join(', ')}`,
      })
    }
  })
  const swept = profile.stacks.filter((s) => scaling.stacks?.includes(s.name) ?? true)
  for (const stack of swept) {
    const i = profile.stacks.indexOf(stack)
    if (stack.url !== undefined) {
      issues.push({
        path: ['stacks', i],
        message: `stack "${stack.name}" is a running server (url), so bench cannot change its ${scaling.instances ? 'instances' : 'workers'}`,
        hint: 'list the launched stacks to sweep in scaling.stacks',
      })
    } else if (scaling.instances && stack.proxy === undefined) {
      issues.push({
        path: ['stacks', i],
        message: `stack "${stack.name}" has no proxy to balance several instances`,
        hint: `add proxy: ${anyProxy}, or list other stacks in scaling.stacks`,
      })
    } else if (
      scaling.workers &&
      stack.app !== undefined &&
      profile.apps[stack.app]?.kind === 'app' &&
      !profile.apps[stack.app]?.workerArgs.some((arg) => arg.includes('{workers}'))
    ) {
      issues.push({
        path: ['stacks', i],
        message: `app "${stack.app}" of stack "${stack.name}" takes no {workers}, so a worker sweep would change nothing`,
        hint: 'add workerArgs with {workers} to the app (e.g. [-w, "{workers}"]), or list other stacks in scaling.stacks',
      })
    }
  }
  return issues
}
