import { serverKinds } from '../stacks/server-kinds.js'
import { listWords } from './list-words.js'
import type { ProfileIssue } from './profile-issue.js'
import type { Profile, StackSpec, WireProtocol } from './schema.js'

type RuleIssue = Omit<ProfileIssue, 'line' | 'column'>

/** Whether the stack's entry point answers `protocol` (a url stack: by its scheme; bench cannot know more). */
function speaks(profile: Profile, stack: StackSpec, protocol: WireProtocol): boolean {
  if (protocol === 'http1') return true
  if (stack.url !== undefined) return stack.url.startsWith(protocol === 'h2' ? 'https:' : 'http:')
  const app = stack.app === undefined ? undefined : profile.apps[stack.app]
  if (!app) return true // reported elsewhere
  const { http2 } = serverKinds[stack.proxy ?? app.kind]
  if (protocol === 'h2') return http2.tls && stack.tls
  return http2.clear !== 'none'
}

/** Entry points that can: "nginx (with tls: true)". */
function ableKinds(protocol: WireProtocol): string {
  const kinds = Object.values(serverKinds).filter((k) =>
    protocol === 'h2' ? k.http2.tls : k.http2.clear !== 'none',
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
    if (phase.pipelining > 1)
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
