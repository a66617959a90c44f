import type { ProfileIssue } from './profile-issue.js'

type Env = Readonly<Record<string, string | undefined>>

const reference = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

/**
 * Replaces ${NAME} and ${NAME:-default} in every string of the parsed profile with the environment's values
 * ($$ is a literal $), so one profile can point at two checkouts in CI. A reference to an unset variable with no
 * default is a problem, reported at its path.
 */
export function interpolateEnv(
  data: unknown,
  env: Env,
): { data: unknown; issues: Omit<ProfileIssue, 'line' | 'column'>[] } {
  const issues: Omit<ProfileIssue, 'line' | 'column'>[] = []
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(reference, (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$$') return '$'
        const set = env[name as string]
        if (set !== undefined && set !== '') return set
        if (fallback !== undefined) return fallback
        issues.push({
          path,
          message: `environment variable ${name} is not set`,
          hint: `set it, or give a default: \${${name}:-value}`,
        })
        return match
      })
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]))
    }
    return value
  }
  return { data: walk(data, []), issues }
}
