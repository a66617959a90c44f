import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { profileJsonSchema } from '../../src/profile/profile-json-schema.js'
import { mainJs, repoRoot } from './harness.js'

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
