import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { allowedKeysAt } from '../../src/profile/allowed-keys-at.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { formatPath } from '../../src/profile/profile-issue.js'
import { profileSchema } from '../../src/profile/schema.js'

type Path = (string | number)[]
interface JsonSchemaNode {
  type?: string | string[]
  properties?: Record<string, JsonSchemaNode>
  additionalProperties?: boolean | JsonSchemaNode
  items?: JsonSchemaNode
  anyOf?: JsonSchemaNode[]
}

/**
 * Every object path of the profile schema with its keys, read from zod's own JSON Schema generator — an
 * independent walk of the same schema. A record's entries are reached by the name "x", a list's items by 0.
 */
function objectPaths(
  node: JsonSchemaNode,
  path: Path = [],
  out = new Map<string, { path: Path; keys: string[] }>(),
) {
  for (const alternative of node.anyOf ?? []) objectPaths(alternative, path, out)
  if (node.properties) {
    const id = formatPath(path)
    const keys = [...new Set([...(out.get(id)?.keys ?? []), ...Object.keys(node.properties)])]
    out.set(id, { path, keys })
    for (const [key, value] of Object.entries(node.properties)) objectPaths(value, [...path, key], out)
  }
  if (typeof node.additionalProperties === 'object')
    objectPaths(node.additionalProperties, [...path, 'x'], out)
  if (node.items) objectPaths(node.items, [...path, 0], out)
  return out
}

const jsonSchema = z.toJSONSchema(profileSchema, { io: 'input' }) as JsonSchemaNode
const everyObjectPath = [...objectPaths(jsonSchema).values()]

describe('allowed keys, read from the schema', () => {
  it('names the keys of the nested objects the hand-written copy got wrong', () => {
    assert.deepEqual(allowedKeysAt(['capacity']), ['precision', 'maxRate', 'confirm', 'target', 'headroom'])
    assert.deepEqual(allowedKeysAt(['scaling']), ['stacks', 'workers', 'instances'])
    assert.deepEqual(allowedKeysAt(['phases', 0, 'slowClients']), [
      'kind',
      'connections',
      'bytesPerSecond',
      'path',
      'bodyBytes',
    ])
    assert.deepEqual(allowedKeysAt(['stacks', 0, 'static']), ['path', 'dir'])
    assert.deepEqual(allowedKeysAt(['stacks', 3, 'cache']), ['path', 'ttl'])
    assert.deepEqual(allowedKeysAt(['gate', 'metrics', 'p99']), ['warn', 'fail', 'maxCv'])
    assert.deepEqual(allowedKeysAt(['gate', 'metrics']), [
      'reqPerSec',
      'p50',
      'p99',
      'errorRate',
      'cpuPerRequest',
    ])
    assert.deepEqual(allowedKeysAt(['slo']), ['p50', 'p90', 'p99', 'p999', 'errorRate'])
    assert.deepEqual(allowedKeysAt(['apps', 'my-app', 'ready']), ['path', 'status', 'timeout'])
    // the ramp is one alternative of a union: a number, a list, or { from, to }
    assert.deepEqual(allowedKeysAt(['phases', 1, 'rate']), ['from', 'to'])
    assert.deepEqual(allowedKeysAt(['phases', 0, 'requests', 2]), [
      'method',
      'path',
      'headers',
      'body',
      'weight',
      'verify',
    ])
  })

  it('finds the same keys as the JSON Schema at every object path of the schema', () => {
    // the walk is not vacuous: it reaches the deepest objects
    const ids = everyObjectPath.map(({ path }) => formatPath(path))
    for (const expected of [
      '',
      'capacity',
      'scaling',
      'phases[0].slowClients',
      'stacks[0].static',
      'gate.metrics.p99',
    ])
      assert.ok(
        ids.includes(expected),
        `the JSON Schema walk missed ${expected || 'the top level'}: ${ids.join(' ')}`,
      )
    assert.ok(everyObjectPath.length >= 18, `only ${everyObjectPath.length} object paths found`)
    for (const { path, keys } of everyObjectPath)
      assert.deepEqual(allowedKeysAt(path), keys, `at ${formatPath(path) || 'the top level'}`)
  })

  it('allows no keys where the schema has no object', () => {
    assert.deepEqual(allowedKeysAt(['name']), [])
    assert.deepEqual(allowedKeysAt(['phases', 0, 'duration']), [])
    assert.deepEqual(allowedKeysAt(['phases', 0, 'connections']), [])
    assert.deepEqual(allowedKeysAt(['stacks', 'not-an-index']), [])
    assert.deepEqual(allowedKeysAt(['nowhere', 'at', 'all']), [])
  })
})

/** A valid profile with every object of the schema present, so an unknown key can be put into each. */
function fullProfile(): Record<string, unknown> {
  return {
    name: 'full',
    cpus: { generator: 0 },
    gate: {
      baseline: 'a',
      candidate: 'b',
      metrics: {
        reqPerSec: { warn: 3, fail: 5 },
        p50: { warn: 3, fail: 5 },
        p99: { warn: 5, fail: 10 },
        errorRate: { warn: 0.1, fail: 1 },
        cpuPerRequest: { warn: 3, fail: 5 },
      },
    },
    slo: { p99: '50ms' },
    capacity: { precision: 2 },
    scaling: { workers: [1, 2] },
    apps: {
      x: {
        command: 'node',
        args: ['--port', '{port}'],
        workerArgs: ['-w', '{workers}'],
        env: {},
        ready: { path: '/' },
      },
    },
    stacks: [
      {
        name: 'a',
        app: 'x',
        proxy: 'nginx',
        static: { path: '/static/', dir: '.' },
        cache: { path: '/json' },
        cpus: { proxy: 0, app: 0 },
        database: { url: 'postgresql://bench@127.0.0.1:5432/bench' },
      },
      { name: 'b', app: 'x', proxy: 'nginx' },
    ],
    phases: [
      {
        name: 'open',
        rate: { from: 1, to: 2 },
        duration: '1s',
        slowClients: { kind: 'slow-headers', connections: 1 },
        requests: [{ path: '/', headers: {} }],
      },
      { name: 'closed', connections: 1, duration: '1s' },
      { name: 'held', protocol: 'websocket', connections: 1, duration: '1s', websocket: { path: '/ws' } },
    ],
  }
}

/**
 * The walk's path made concrete in `data`: a list's 0 becomes the first item that holds the rest of the path
 * (phases[0].websocket lives on the websocket phase, phases[0].slowClients on an HTTP one).
 */
function concretePath(data: unknown, path: Path): Path | undefined {
  if (path.length === 0) return data && typeof data === 'object' ? [] : undefined
  const [segment, ...rest] = path
  const node = data as Record<string | number, unknown>
  const candidates =
    Array.isArray(data) && segment === 0 ? data.map((_, i) => i) : [segment as string | number]
  for (const candidate of candidates) {
    const tail = node?.[candidate] === undefined ? undefined : concretePath(node[candidate], rest)
    if (tail) return [candidate, ...tail]
  }
  return undefined
}

/** `data` with 1 stored under `key` in the object at `path`, and the path it went to. */
function withKey(data: Record<string, unknown>, path: Path, key: string) {
  const copy = structuredClone(data)
  const at = concretePath(copy, path)
  assert.ok(at, `test bug: the full profile has no object at ${formatPath(path)}`)
  let node: unknown = copy
  for (const segment of at) node = (node as Record<string | number, unknown>)[segment]
  ;(node as Record<string, unknown>)[key] = 1
  return { profile: copy, at }
}

describe('unknown-key messages at every object path', () => {
  it('the full profile is valid as it stands', () => {
    const parsed = parseProfile(JSON.stringify(fullProfile()))
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues))
  })

  for (const { path, keys } of everyObjectPath) {
    it(`at ${formatPath(path) || 'the top level'}: lists ${keys.join(', ')} and guesses a typo`, () => {
      const { profile, at } = withKey(fullProfile(), path, 'zzzzzz')
      const unknown = parseProfile(JSON.stringify(profile))
      assert.equal(unknown.ok, false)
      const issue = !unknown.ok ? unknown.issues.find((i) => i.message === 'unknown key "zzzzzz"') : undefined
      assert.ok(issue, JSON.stringify(!unknown.ok && unknown.issues))
      assert.deepEqual(issue.path, [...at, 'zzzzzz'])
      assert.equal(issue.hint, `remove it. Allowed here: ${keys.join(', ')}`)

      const typo = `${keys.at(-1)}x`
      const misspelt = parseProfile(JSON.stringify(withKey(fullProfile(), path, typo).profile))
      const guessed = !misspelt.ok
        ? misspelt.issues.find((i) => i.message === `unknown key "${typo}"`)
        : undefined
      assert.ok(guessed, JSON.stringify(!misspelt.ok && misspelt.issues))
      assert.equal(guessed.hint, `did you mean "${keys.at(-1)}"? Allowed here: ${keys.join(', ')}`)
    })
  }
})
