import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { profileJsonSchema } from '../../src/profile/profile-json-schema.js'
import { renderProfileReference } from '../../src/profile/render-profile-reference.js'
import { readResultSet } from '../../src/results/read-result-set.js'
import { resultSchemaVersion } from '../../src/results/results-file-schema.js'
import { resultsJsonSchema } from '../../src/results/results-json-schema.js'
import { jsonSchemaProblems } from '../json-schema-validator.js'
import { fixtures, mainJs, repoRoot } from './harness.js'

// Moved from test/unit/profile-json-schema.test.ts: it runs the bench CLI, and a test that spawns processes
// lives under integration/.
describe('bench schema', () => {
  it('the shipped bench-profile.schema.json is exactly what bench schema prints', () => {
    const printed = execFileSync(process.execPath, [mainJs, 'schema'], { encoding: 'utf8' })
    assert.equal(printed, `${JSON.stringify(profileJsonSchema(), null, 2)}\n`)
    assert.equal(
      readFileSync(join(repoRoot, 'bench-profile.schema.json'), 'utf8'),
      printed,
      'bench-profile.schema.json is stale: regenerate it with ./bench schema > bench-profile.schema.json',
    )
  })
})

describe('bench schema --markdown', () => {
  it('prints the profile reference, as committed in docs/profile-reference.md', () => {
    const printed = execFileSync(process.execPath, [mainJs, 'schema', '--markdown'], { encoding: 'utf8' })
    assert.equal(printed, renderProfileReference())
    assert.match(printed, /^# Profile reference\n/)
    assert.equal(readFileSync(join(repoRoot, 'docs', 'profile-reference.md'), 'utf8'), printed)
  })
})

describe('bench schema --results', () => {
  const printed = execFileSync(process.execPath, [mainJs, 'schema', '--results'], { encoding: 'utf8' })
  const schema = JSON.parse(printed) as Record<string, unknown>

  it('prints the JSON Schema generated from the results file zod schema', () => {
    assert.equal(printed, `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`)
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#')
    assert.deepEqual((schema.properties as { schemaVersion: unknown }).schemaVersion, {
      type: 'number',
      const: resultSchemaVersion,
    })
  })

  it('a run and a capacity results file, as bench reads them today, are valid against it', () => {
    for (const name of ['run-results.json', 'capacity-results.json']) {
      // the fixtures are of schemaVersion 2: bench reads them upgraded, and would write them so
      const results = JSON.parse(JSON.stringify(readResultSet(join(fixtures, name), 'results file')))
      assert.deepEqual(jsonSchemaProblems(schema, JSON.stringify(results)), [], name)
    }
  })

  it('and it tells a broken file apart', () => {
    const results = JSON.parse(
      JSON.stringify(readResultSet(join(fixtures, 'run-results.json'), 'results file')),
    )
    results.cells[0].stats.latency.p99 = 'fast'
    delete results.environment
    const problems = jsonSchemaProblems(schema, JSON.stringify(results))
    assert.ok(
      problems.some((p) => p.startsWith('/cells/0/stats/latency/p99 must be number')),
      problems.join('\n'),
    )
    assert.ok(
      problems.some((p) => /must have required property 'environment'/.test(p)),
      problems.join('\n'),
    )
  })
})
