import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml'
import { checkProfileRules } from './check-profile-rules.js'
import { describeIssue } from './describe-issue.js'
import { interpolateEnv } from './interpolate-env.js'
import { isLoadableHost } from './loadable-host.js'
import { parseDatabaseUrl } from './parse-database-url.js'
import type { ProfileIssue } from './profile-issue.js'
import { type Profile, profileSchema } from './schema.js'

export type ParseResult = { ok: true; profile: Profile } | { ok: false; issues: ProfileIssue[] }

export interface ParseOptions {
  /** The user opted in to load a server that is not on this machine's loopback. */
  allowRemote?: boolean
  /** Values for ${NAME} references in the profile (the CLI passes process.env). */
  env?: Readonly<Record<string, string | undefined>>
}

/** YAML text → a valid Profile, or every problem found, each with its line and a fix. */
export function parseProfile(text: string, options: ParseOptions = {}): ParseResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({
        path: [],
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
        message: `malformed YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        hint:
          error.code === 'DUPLICATE_KEY'
            ? 'remove one of the two keys'
            : 'check the indentation and quoting on this line',
      })),
    }
  }
  const raw: unknown = doc.toJS()
  if (raw === null || raw === undefined) {
    return {
      ok: false,
      issues: [{ path: [], message: 'the profile is empty', hint: 'start from profiles/quick.yml' }],
    }
  }
  /** The line of the key (or list item) the issue's path ends at, else of its nearest located parent. */
  const locate = (issue: Omit<ProfileIssue, 'line' | 'column'>): ProfileIssue => {
    for (let depth = issue.path.length; depth >= 0; depth--) {
      const parent = doc.getIn(issue.path.slice(0, depth - 1), true)
      const last = issue.path[depth - 1]
      const pair = isMap(parent)
        ? parent.items.find((item) => isScalar(item.key) && item.key.value === last)
        : undefined
      const node = pair && isNode(pair.key) ? pair.key : doc.getIn(issue.path.slice(0, depth), true)
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0])
        return { ...issue, line, column: col }
      }
    }
    return issue
  }

  const { data, issues: envIssues } = interpolateEnv(raw, options.env ?? {})
  if (envIssues.length) return { ok: false, issues: envIssues.map(locate) }
  const parsed = profileSchema.safeParse(data, { reportInput: true })
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(describeIssue).map(locate) }

  const issues = [...checkProfileRules(parsed.data), ...checkTargets(parsed.data, options)].map(locate)
  return issues.length ? { ok: false, issues } : { ok: true, profile: parsed.data }
}

const loadableHint = '127.0.0.1, ::1 or the benchmarking range 198.18.0.0/15'

function checkTargets(profile: Profile, options: ParseOptions): Omit<ProfileIssue, 'line' | 'column'>[] {
  if (options.allowRemote) return []
  const hostIssues: Omit<ProfileIssue, 'line' | 'column'>[] = isLoadableHost(profile.host)
    ? []
    : [
        {
          path: ['host'],
          message: `launched stacks would listen on ${profile.host} and take load there, which is neither loopback nor the benchmarking range 198.18.0.0/15`,
          hint: `use ${loadableHint.replace(' or the', ', or an address in the')}; or pass --allow-remote if you own that network and mean to open the stacks to it`,
        },
      ]
  return hostIssues.concat(
    profile.stacks.flatMap((stack, i) => {
      const issues: Omit<ProfileIssue, 'line' | 'column'>[] = []
      const { database } = stack
      if (typeof database === 'object') {
        const host = parseDatabaseUrl(database.url)?.host ?? ''
        if (host !== '' && !host.startsWith('/') && !isLoadableHost(host)) {
          issues.push({
            path: ['stacks', i, 'database', 'url'],
            message: `the database is on ${host}, which is not this machine's loopback`,
            hint: `bench loads only servers on ${loadableHint} (or a Unix socket); pass --allow-remote if you own that database and mean to load it`,
          })
        }
      }
      if (stack.url === undefined) return issues
      const { hostname } = new URL(stack.url)
      if (isLoadableHost(hostname)) return issues
      return [
        ...issues,
        {
          path: ['stacks', i, 'url'],
          message: `targets ${hostname}, which is not this machine's loopback`,
          hint: `bench sends load only to ${loadableHint}; pass --allow-remote if you own that host and mean to load it`,
        },
      ]
    }),
  )
}
