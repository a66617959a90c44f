import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { renderProfileReference } from '../../src/profile/render-profile-reference.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const page = renderProfileReference()

/** The table row of `key` in the section headed `heading`. */
function rowOf(heading: string, key: string): string[] {
  const section = page.split('\n## ').find((s) => s.startsWith(`${heading}\n`))
  assert.ok(section, `no section ${heading}`)
  const row = section.split('\n').find((line) => line.startsWith(`| \`${key}\` |`))
  assert.ok(row, `no row ${key} in ${heading}`)
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((cell) => cell.trim())
}

describe('the profile reference (docs/profile-reference.md)', () => {
  it('is exactly what the schema generates', () => {
    assert.equal(
      readFileSync(join(root, 'docs', 'profile-reference.md'), 'utf8'),
      page,
      'docs/profile-reference.md is stale: regenerate it with ./bench schema --markdown > docs/profile-reference.md',
    )
  })

  it("gives each key its type, allowed values, default and the schema's description", () => {
    assert.deepEqual(rowOf('`phases[]`', 'maxConnections'), [
      '`maxConnections`',
      'integer 1–20,000',
      '—',
      'Open loop: connections opened at most; a request due while all are busy waits (and counts as blocked).',
    ])
    assert.deepEqual(rowOf('`stacks[]`', 'upstream').slice(0, 3), [
      '`upstream`',
      'one of `tcp`, `unix`',
      '`"tcp"`',
    ])
    assert.deepEqual(rowOf('`phases[]`', 'timeout').slice(0, 3), ['`timeout`', 'duration', '`"10s"`'])
    assert.deepEqual(rowOf('`profile`', 'stacks').slice(0, 3), [
      '`stacks`',
      'list of object (below)',
      'required',
    ])
    assert.deepEqual(rowOf('`profile`', 'trials').slice(0, 3), [
      '`trials`',
      'integer 1–100, or `"auto"`',
      '`1`',
    ])
  })

  it('has a section for every object, nested ones named by their path', () => {
    const headings = page.split('\n').filter((line) => line.startsWith('## '))
    for (const path of [
      '`apps.<name>.ready`',
      '`phases[].slowClients`',
      '`phases[].requests[]`',
      '`stacks[].cpus`',
    ])
      assert.ok(headings.includes(`## ${path}`), `${path} in ${headings.join(', ')}`)
    // the four thresholds share one section
    assert.ok(headings.some((h) => h.includes('`gate.metrics.reqPerSec`, `gate.metrics.p50`')))
  })
})
