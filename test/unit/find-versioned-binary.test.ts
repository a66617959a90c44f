import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { postgresKind } from '../../src/kinds/postgres-kind.js'
import { findVersionedBinary } from '../../src/stacks/find-versioned-binary.js'

/** A fake /usr/lib/postgresql: each version folder with the programs given. */
function fakeRoot(versions: Record<string, string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-pgroot-'))
  for (const [version, programs] of Object.entries(versions)) {
    mkdirSync(join(root, version, 'bin'), { recursive: true })
    for (const p of programs) writeFileSync(join(root, version, 'bin', p), '#!/bin/sh\n', { mode: 0o755 })
  }
  return root
}

function findIn(root: string): string | undefined {
  const saved = process.env.BENCH_POSTGRESQL_ROOT
  process.env.BENCH_POSTGRESQL_ROOT = root
  try {
    return findVersionedBinary(postgresKind.binary)
  } finally {
    if (saved === undefined) delete process.env.BENCH_POSTGRESQL_ROOT
    else process.env.BENCH_POSTGRESQL_ROOT = saved
  }
}

describe("PostgreSQL's programs, found in Debian's version folders", () => {
  it('takes the highest version (by number, 9.6 < 10 < 16) that has both initdb and postgres', () => {
    const both = ['initdb', 'postgres']
    const root = fakeRoot({ '9.6': both, '10': both, '16': ['postgres'], notes: both })
    assert.equal(findIn(root), join(root, '10', 'bin'), '16 lacks initdb; "notes" is no version')
  })

  it('finds nothing in an empty or missing root', () => {
    assert.equal(findIn(fakeRoot({})), undefined)
    assert.equal(findIn('/nonexistent/postgresql'), undefined)
  })
})
