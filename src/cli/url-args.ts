import { BenchError } from '../bench-error.js'
import { closestMatch } from '../profile/closest-match.js'
import type { UrlLoad } from '../profile/url-profile-input.js'

const commandNames = ['run', 'capacity', 'gate', 'validate', 'plan', 'report', 'init', 'clean', 'schema']

/** The load flags yargs parsed (each under its long name) → a one-line run's load. */
export function loadFlags(args: {
  connections?: number | undefined
  rate?: number | undefined
  duration?: string | undefined
  warmup?: string | undefined
  method?: string | undefined
  header?: string[] | undefined
  body?: string | undefined
}): Omit<UrlLoad, 'url'> {
  const { connections, rate, duration, warmup, method, header, body } = args
  return { connections, rate, duration, warmup, method, headers: header, body }
}

/** `bench rnu` is a mistyped command, not a URL to load. */
export function checkNotACommand(word: string): void {
  if (/[:/.]/.test(word)) return
  const guess = closestMatch(word, commandNames)
  throw new BenchError(
    'input',
    `unknown command "${word}"`,
    guess
      ? `did you mean bench ${guess}?`
      : `give a command (${commandNames.join(', ')}) or a URL such as http://127.0.0.1:8080/`,
  )
}
