import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { profileJsonSchema } from '../../src/profile/profile-json-schema.js'
import { jsonSchemaProblems } from '../json-schema-validator.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const schemaFile = join(root, 'bench-profile.schema.json')
const schema = profileJsonSchema()
const shipped = readdirSync(join(root, 'profiles')).filter((f) => f.endsWith('.yml'))

/** Both validators' verdicts on one profile text. */
function bothVerdicts(text: string): { ajv: string[]; bench: string[] } {
  const parsed = parseProfile(text, { env: {} })
  return {
    ajv: jsonSchemaProblems(schema, text),
    bench: parsed.ok ? [] : parsed.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  }
}

const minimal = [
  'name: x',
  'apps:',
  '  node: { command: node, args: [--port, "{port}"] }',
  'stacks:',
  '  - { name: a, app: node }',
  'phases:',
  '  - { name: p, connections: 10, duration: 5s }',
]

describe('the JSON Schema of a profile', () => {
  it('describes the input side: keys with a default are optional, durations are numbers or "5s"', () => {
    const phase = JSON.parse(JSON.stringify(schema)).properties.phases.items as {
      properties: { timeout: { default: unknown } }
      required: string[]
    }
    assert.deepEqual(phase.required, ['name', 'duration'])
    assert.equal(phase.properties.timeout.default, '10s')
    for (const value of ['5s', '250ms', '2m', ' 1.5 s'])
      assert.deepEqual(bothVerdicts(minimal.join('\n').replace('5s', JSON.stringify(value))), {
        ajv: [],
        bench: [],
      })
    assert.deepEqual(bothVerdicts(minimal.join('\n').replace('5s', '5')), { ajv: [], bench: [] })
  })

  for (const file of shipped) {
    it(`profiles/${file} names the schema on its first line and is valid for ajv and for bench`, () => {
      const text = readFileSync(join(root, 'profiles', file), 'utf8')
      const first = text.split('\n')[0] ?? ''
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)
      assert.ok(match, `first line: ${first}`)
      assert.equal(resolve(root, 'profiles', match[1] ?? ''), schemaFile)
      assert.deepEqual(bothVerdicts(text), { ajv: [], bench: [] })
    })
  }

  const mistakes: [string, string, string][] = [
    ['a misspelt proxy', '  - { name: a, app: node }', '  - { name: a, app: node, proxy: ngnix }'],
    ['an unknown key', 'connections: 10,', 'conections: 10,'],
    ['a duration that is none', 'duration: 5s', 'duration: 5 seconds'],
    ['a negative duration', 'duration: 5s', 'duration: -5'],
    ['a path without its slash', '{ name: p,', '{ requests: [{ path: json }], name: p,'],
    [
      'an unknown key in slowClients',
      '{ name: p,',
      '{ slowClients: { kind: slow-read, connections: 2, sped: 1 }, name: p,',
    ],
    ['a missing duration', ', duration: 5s', ''],
  ]
  for (const [what, from, to] of mistakes) {
    it(`${what} fails both ajv and bench`, () => {
      const text = minimal.join('\n').replace(from, to)
      assert.notEqual(text, minimal.join('\n'), 'test bug: the mistake was not made')
      const { ajv, bench } = bothVerdicts(text)
      assert.ok(ajv.length > 0, `ajv accepted:\n${text}`)
      assert.ok(bench.length > 0, `bench accepted:\n${text}`)
    })
  }
})
