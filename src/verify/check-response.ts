import { WORLD_ROWS } from '../database/techempower-data.js'
import type { VerifyKind } from '../profile/schema.js'
import { expectedFortunesHtml } from './expected-fortunes-html.js'
import { normalizeFortunesHtml } from './normalize-fortunes-html.js'
import { queriesCount } from './queries-count.js'

/** One answer, as the verification fetched it. */
export interface VerifiedResponse {
  status: number
  contentType: string | undefined
  body: string
}

/** TechEmpower's accepted Content-Types. */
const jsonType = /^application\/json(; ?charset=(UTF|utf)-8)?$/
const htmlType = /^text\/html; ?charset=(UTF|utf)-8$/

const expectedFortunes = normalizeFortunesHtml(expectedFortunesHtml())

/** The first `max` characters of `text` on one line, for a message. */
function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** What is wrong with one World object ({"id":N,"randomNumber":M}), or undefined. */
function worldProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${excerpt(JSON.stringify(value), 40)}, expected an object {"id":…,"randomNumber":…}`
  }
  // TechEmpower reads the keys case-insensitively
  const fields = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]))
  for (const [key, name] of [
    ['id', 'id'],
    ['randomnumber', 'randomNumber'],
  ] as const) {
    if (!fields.has(key)) return `an object without "${name}"`
    const field = fields.get(key)
    if (!Number.isInteger(field) || (field as number) < 1 || (field as number) > WORLD_ROWS) {
      return `"${name}": ${excerpt(JSON.stringify(field), 20)}, expected an integer in 1…${WORLD_ROWS}`
    }
  }
  return undefined
}

/** The first difference between two normalized fortunes pages, from the row it is in. */
function fortunesDifference(got: string, expected: string): string {
  const gotRows = got.split('<tr>').length - 1
  const expectedRows = expected.split('<tr>').length - 1
  if (gotRows !== expectedRows) {
    return `a fortunes table of ${plural(gotRows, 'row')}, expected ${expectedRows} (the header, ${expectedRows - 2} fortunes and the one added at request time)`
  }
  let i = 0
  while (i < got.length && got[i] === expected[i]) i++
  const from = Math.max(0, got.lastIndexOf('<tr>', i), expected.lastIndexOf('<tr>', i))
  return `fortunes that differ from TechEmpower's: got ${excerpt(got.slice(from), 100)} where ${excerpt(expected.slice(from), 100)} was expected`
}

/**
 * TechEmpower's verification of one answer to a request of `path`, by test type: status 200, the type's
 * Content-Type, and the body's shape — a World object (db), an array of exactly the clamped `queries` count
 * of them (queries, updates), the fortunes page equal to TechEmpower's after their normalization (fortunes),
 * or any JSON (json). Returns what was wrong, as it follows "<path> " in a message, or undefined.
 */
export function checkResponse(
  kind: VerifyKind,
  path: string,
  response: VerifiedResponse,
): string | undefined {
  if (response.status !== 200) {
    const body = excerpt(response.body, 160) // an app's error line names the cause
    return `answered ${response.status}${body ? ` (${body})` : ''}, expected 200`
  }
  const type = response.contentType ?? ''
  if (kind === 'fortunes') {
    if (!htmlType.test(type)) return `answered Content-Type "${type}", expected "text/html; charset=utf-8"`
    const got = normalizeFortunesHtml(response.body)
    return got === expectedFortunes ? undefined : `answered ${fortunesDifference(got, expectedFortunes)}`
  }
  if (!jsonType.test(type)) return `answered Content-Type "${type}", expected "application/json"`
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    return `answered a body that is not JSON: ${excerpt(response.body) || '(empty)'}`
  }
  if (kind === 'json') return undefined
  if (kind === 'db') {
    if (Array.isArray(json)) return 'answered a JSON array, expected one object {"id":…,"randomNumber":…}'
    const problem = worldProblem(json)
    return problem && `answered ${problem}`
  }
  const expected = queriesCount(path)
  if (!Array.isArray(json))
    return `answered ${excerpt(JSON.stringify(json), 40)}, expected an array of ${expected}`
  if (json.length !== expected) return `answered ${plural(json.length, 'row')}, expected ${expected}`
  for (const [i, row] of json.entries()) {
    const problem = worldProblem(row)
    if (problem) return `answered ${problem} in row ${i + 1}`
  }
  return undefined
}
