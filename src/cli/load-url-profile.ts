import { BenchError } from '../bench-error.js'
import { parseProfile } from '../profile/parse-profile.js'
import { formatPath } from '../profile/profile-issue.js'
import { type UrlLoad, urlProfileInput } from '../profile/url-profile-input.js'
import type { LoadedProfile } from './load-profile.js'

/** Which flag of a one-line run set the value at a profile path (the longest matching prefix wins). */
const flagAt: [string, string][] = [
  ['stacks[0]', 'the URL'],
  ['phases[0].connections', '-c'],
  ['phases[0].rate', '-r'],
  ['phases[0].duration', '-d'],
  ['phases[0].warmup', '--warmup'],
  ['phases[0].requests[0].method', '--method'],
  ['phases[0].requests[0].headers', '-H'],
  ['phases[0].requests[0].body', '--body'],
  ['phases[0].requests[0].path', 'the URL'],
  ['phases[0]', 'the load'],
]

/**
 * A one-line run's flags → a validated profile, checked exactly as a profile file is (loopback only unless
 * --allow-remote); each problem is named by the flag that caused it.
 */
export function loadUrlProfile(load: UrlLoad, allowRemote: boolean): LoadedProfile {
  const text = `${JSON.stringify(urlProfileInput(load), null, 2)}\n`
  const parsed = parseProfile(text, { allowRemote })
  if (!parsed.ok) {
    const lines = parsed.issues.map((issue) => {
      const path = formatPath(issue.path)
      const flag = flagAt.find(([prefix]) => path.startsWith(prefix))?.[1] ?? (path || 'the load')
      return `${flag}: ${issue.message}\n    fix: ${issue.hint}`
    })
    throw new BenchError(
      'input',
      `the load of ${load.url} is not valid:\n${lines.join('\n')}`,
      'correct the flags (bench --help shows them)',
    )
  }
  return { profile: parsed.profile, file: 'url', dir: process.cwd(), text }
}
