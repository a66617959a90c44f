import type { z } from 'zod'
import { allowedKeysAt } from './allowed-keys-at.js'
import { closestMatch } from './closest-match.js'
import type { ProfileIssue } from './profile-issue.js'

type ZodIssue = z.core.$ZodIssue

const typeExamples: Record<string, string> = {
  number: 'a number, e.g. 50',
  int: 'a whole number, e.g. 4',
  string: 'text (in quotes if it could be read as a number)',
  array: 'a list, e.g. [50, 200]',
  object: 'a mapping of keys to values',
  boolean: 'true or false',
  record: 'a mapping of names to values',
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `"${value}"`
  return String(value)
}

/** Turns a schema issue into a short message naming the problem and a hint naming the fix. */
export function describeIssue(issue: ZodIssue): Omit<ProfileIssue, 'line' | 'column'>[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => describeUnknownKey([...issue.path] as (string | number)[], key))
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'trials') {
    // trials: a count or auto — a number out of range is the count's problem, anything else is neither
    const input = (issue as { input?: unknown }).input
    const count = issue.errors[0] ?? []
    if (typeof input === 'number' && count.length > 0)
      return count.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }))
    if (input !== undefined) {
      return [
        {
          path: [...issue.path] as (string | number)[],
          message: `must be a whole number of trials, or auto (got ${describeType(input)})`,
          hint: 'write a number, e.g. trials: 6, or trials: auto to add trials until the gate decides',
        },
      ]
    }
  }
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'database') {
    // database: a kind's name or { url } — a mapping is the url form's problem, anything else the name's
    const input = (issue as { input?: unknown }).input
    const branch = issue.errors[typeof input === 'object' && input !== null ? 1 : 0] ?? []
    if (input !== undefined && (typeof input === 'string' || typeof input === 'object'))
      return branch.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }))
  }
  if (issue.code === 'invalid_union') {
    // A value of the right kind for exactly one alternative (a mapping where a ramp { from, to } may stand):
    // report what is wrong inside that alternative rather than "wrong type".
    const sameKind = issue.errors.filter(
      (branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'),
    )
    if (sameKind.length === 1) {
      return (sameKind[0] ?? []).flatMap((inner) =>
        describeIssue({ ...inner, path: [...issue.path, ...inner.path] }),
      )
    }
  }
  return [describeOne(issue)]
}

function describeUnknownKey(path: (string | number)[], key: string): Omit<ProfileIssue, 'line' | 'column'> {
  const allowed = allowedKeysAt(path)
  const guess = closestMatch(key, allowed)
  return {
    path: [...path, key],
    message: `unknown key "${key}"`,
    hint: `${guess ? `did you mean "${guess}"? ` : 'remove it. '}Allowed here: ${allowed.join(', ')}`,
  }
}

function describeOne(issue: ZodIssue): Omit<ProfileIssue, 'line' | 'column'> {
  const path = [...issue.path] as (string | number)[]
  const input = (issue as { input?: unknown }).input
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) {
        return {
          path,
          message: 'is required',
          hint: `add it: ${typeExamples[issue.expected] ?? issue.expected}`,
        }
      }
      return {
        path,
        message: `must be ${typeExamples[issue.expected] ?? issue.expected} (got ${describeType(input)})`,
        hint: `write it as ${typeExamples[issue.expected] ?? issue.expected}`,
      }
    }
    case 'invalid_value': {
      const values = issue.values.map(String)
      const guess = typeof input === 'string' ? closestMatch(input, values) : undefined
      return {
        path,
        message: `must be one of ${values.join(', ')} (got ${describeType(input)})`,
        hint: guess ? `did you mean "${guess}"?` : `use one of ${values.join(', ')}`,
      }
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum
      const strict = issue.inclusive === false
      const word =
        issue.code === 'too_small' ? (strict ? 'more than' : 'at least') : strict ? 'less than' : 'at most'
      if (issue.origin === 'array') {
        return { path, message: `needs ${word} ${bound} item(s)`, hint: `give ${word} ${bound} item(s)` }
      }
      if (issue.origin === 'string') {
        return { path, message: 'must not be empty', hint: 'give a value' }
      }
      return {
        path,
        message: `must be ${word} ${bound} (got ${describeType(input)})`,
        hint: `use a value ${word} ${bound}`,
      }
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') {
        return {
          path,
          message: `must start with "/" (got ${describeType(input)})`,
          hint: `write it as "/${input}"`,
        }
      }
      if (issue.format === 'url') {
        return {
          path,
          message: `must be an http:// or https:// URL (got ${describeType(input)})`,
          hint: 'e.g. http://127.0.0.1:8080',
        }
      }
      if (issue.format === 'regex') {
        return {
          path,
          message: `${issue.message} (got ${describeType(input)})`,
          hint: 'rename it, e.g. "nginx-node"',
        }
      }
      return { path, message: issue.message, hint: 'fix the value' }
    }
    case 'invalid_union': {
      if (input === undefined)
        return { path, message: 'is required', hint: 'add it (see docs/profile-reference.md for its form)' }
      if (path.at(-1) === 'connections') {
        return {
          path,
          message: `must be a whole number or a list of them (got ${describeType(input)})`,
          hint: 'e.g. connections: 100, or a ladder: connections: [50, 200, 1000]',
        }
      }
      if (['duration', 'warmup', 'timeout'].includes(String(path.at(-1)))) {
        return {
          path,
          message: `must be a duration (got ${describeType(input)})`,
          hint: 'write a duration such as 500ms, 5s or 2m (a bare number means seconds)',
        }
      }
      return {
        path,
        message: `has the wrong type (got ${describeType(input)})`,
        hint: 'see docs/profile-reference.md for this key',
      }
    }
    case 'custom': {
      const kind = (issue.params as { kind?: string } | undefined)?.kind
      if (kind === 'duration') {
        return {
          path,
          message: issue.message,
          hint: 'write a duration such as 500ms, 5s or 2m (a bare number means seconds)',
        }
      }
      if (kind === 'positive-duration') {
        return { path, message: `duration ${issue.message}`, hint: 'give a duration such as 5s' }
      }
      if (kind === 'warn-fail')
        return { path, message: issue.message, hint: 'set warn to at most fail, e.g. { warn: 3, fail: 5 }' }
      if (kind === 'min-timeout')
        return { path, message: issue.message, hint: 'give a timeout of 1s or more' }
      if (kind === 'cpu-list')
        return {
          path,
          message: issue.message,
          hint: 'write CPU numbers as taskset does: 0, "0-3", "0,2" or [0, 2]',
        }
      if (kind === 'database-url')
        return {
          path,
          message: issue.message,
          hint: 'give a PostgreSQL URL such as postgresql://user@127.0.0.1:5432/bench, or database: postgres to let bench run one',
        }
      if (kind === 'host')
        return {
          path,
          message: `${issue.message} (got ${describeType(input)})`,
          hint: 'give one address that launched stacks listen on and load goes to, e.g. 127.0.0.1, ::1 or 198.18.0.5 (not 0.0.0.0 or ::); one outside loopback and 198.18.0.0/15 also needs --allow-remote',
        }
      if (kind === 'empty-slo')
        return {
          path,
          message: issue.message,
          hint: 'give at least one objective, e.g. { p99: 50ms, errorRate: 0.1 }',
        }
      return { path, message: issue.message, hint: 'see docs/profile-reference.md for this key' }
    }
    default:
      return { path, message: issue.message, hint: 'see docs/profile-reference.md for this key' }
  }
}
