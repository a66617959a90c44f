import { serverKinds } from '../kinds/server-kinds.js'
import { listWords } from './list-words.js'
import type { ProfileIssue } from './profile-issue.js'
import type { PhaseProtocol, PhaseSpec, Profile, StackSpec } from './schema.js'

type RuleIssue = Omit<ProfileIssue, 'line' | 'column'>

/** Whether the stack's entry point answers `protocol` (a url stack: by its scheme; bench cannot know more). */
function speaks(profile: Profile, stack: StackSpec, protocol: PhaseProtocol): boolean {
  if (protocol === 'http1') return true
  if (stack.url !== undefined)
    return protocol === 'websocket' || stack.url.startsWith(protocol === 'h2' ? 'https:' : 'http:')
  const app = stack.app === undefined ? undefined : profile.apps[stack.app]
  if (!app) return true // reported elsewhere
  const kind = serverKinds[stack.proxy ?? app.kind]
  if (protocol === 'websocket') return kind.websocket
  if (protocol === 'h2') return kind.http2.tls && stack.tls
  return kind.http2.clear !== 'none'
}

/** Entry points that can: "nginx (with tls: true)". */
function ableKinds(protocol: PhaseProtocol): string {
  const kinds = Object.values(serverKinds).filter((k) =>
    protocol === 'websocket' ? k.websocket : protocol === 'h2' ? k.http2.tls : k.http2.clear !== 'none',
  )
  const names = listWords(
    kinds.map((k) => k.name),
    'or',
  )
  return protocol === 'h2' ? `${names}, with tls: true` : names
}

/**
 * A phase's protocol against the engine, the phase's other keys and every stack: a stack that cannot speak it
 * is refused before anything starts, naming the stacks that can and the proxies that would.
 */
export function checkProtocolRules(profile: Profile): RuleIssue[] {
  const issues: RuleIssue[] = []
  profile.phases.forEach((phase, i) => {
    const at = (key: string) => ['phases', i, key]
    if (phase.websocket !== undefined && phase.protocol !== 'websocket')
      issues.push({
        path: at('websocket'),
        message: `websocket: applies to protocol: websocket phases, and this one speaks ${phase.protocol}`,
        hint: 'set protocol: websocket, or remove websocket:',
      })
    if (phase.protocol === 'websocket') issues.push(...websocketPhaseIssues(phase, at))
    if (phase.protocol === 'http1') {
      if (phase.streams > 1)
        issues.push({
          path: at('streams'),
          message: 'streams are HTTP/2 streams, and the phase speaks HTTP/1.1',
          hint: 'set protocol: h2 or h2c, or use pipelining: for HTTP/1.1',
        })
      return
    }
    if (phase.engine !== 'bench')
      issues.push({
        path: at('engine'),
        message: `engine ${phase.engine} speaks HTTP/1.1 only, and the phase sets protocol: ${phase.protocol}`,
        hint: 'remove engine (bench speaks HTTP/2), or set protocol: http1',
      })
    if (phase.pipelining > 1 && phase.protocol !== 'websocket')
      issues.push({
        path: at('pipelining'),
        message: 'pipelining is HTTP/1.1’s; HTTP/2 sends requests side by side on streams',
        hint: 'remove pipelining and set streams: N',
      })
    const cannot = profile.stacks.filter((s) => !speaks(profile, s, phase.protocol))
    if (cannot.length === 0) return
    const can = profile.stacks.filter((s) => speaks(profile, s, phase.protocol)).map((s) => `"${s.name}"`)
    issues.push({
      path: at('protocol'),
      message: `protocol ${phase.protocol}: stack${cannot.length > 1 ? 's' : ''} ${cannot.map((s) => `"${s.name}"`).join(', ')} cannot speak it${can.length ? ` (${can.join(', ')} can)` : ''}`,
      hint: `its entry point must be ${ableKinds(phase.protocol)}${phase.protocol === 'h2' ? ' (h2 is negotiated over TLS by ALPN)' : ''}, or set protocol: http1`,
    })
  })
  return issues
}

/** The keys of a request/response phase that a WebSocket phase has no use for, and what to write instead. */
function websocketPhaseIssues(phase: PhaseSpec, at: (key: string) => (string | number)[]): RuleIssue[] {
  const issues: RuleIssue[] = []
  if (phase.rate !== undefined)
    issues.push({
      path: at('rate'),
      message: 'a WebSocket phase opens connections: N and holds them; it has no request rate',
      hint: 'set connections: N, and websocket: { messages: M } for M messages per second on each',
    })
  const unused = [
    ['streams', phase.streams > 1, 'streams are HTTP/2’s'],
    ['pipelining', phase.pipelining > 1, 'pipelining is HTTP/1.1’s'],
    ['churn', phase.churn !== undefined, 'a WebSocket connection is held, not churned'],
  ] as const
  for (const [key, set, why] of unused)
    if (set)
      issues.push({ path: at(key), message: `${why}, and the phase speaks WebSocket`, hint: `remove ${key}` })
  return issues
}
