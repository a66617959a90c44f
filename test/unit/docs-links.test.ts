import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { brokenLinks, headingAnchors } from '../markdown-links.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

describe('the links of the README and docs/', () => {
  it('every relative link names a file that exists, every #anchor a heading of its page', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ]
    assert.ok(pages.length > 10, pages.join(', '))
    assert.deepEqual(brokenLinks(root, pages), [])
  })
})

describe('the link checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-links-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('slugs headings as GitHub does: code and punctuation dropped, repeats numbered', () => {
    const anchors = headingAnchors(
      [
        "## The seeds' scenarios",
        '### Slow clients (`profiles/slow-clients.yml`, claim 4)',
        '```sh',
        '# not a heading',
        '```',
        '## Exit codes',
        '## Exit codes',
        '## HTTP/2 at the [proxy](x.md)',
      ].join('\n'),
    )
    assert.deepEqual(
      [...anchors],
      [
        'the-seeds-scenarios',
        'slow-clients-profilesslow-clientsyml-claim-4',
        'exit-codes',
        'exit-codes-1',
        'http2-at-the-proxy',
      ],
    )
  })

  it('finds a missing file, a missing heading, in this page and another; ignores code and URLs', () => {
    mkdirSync(join(dir, 'docs'))
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# bench',
        '## Exit codes',
        'See [exit codes](#exit-codes), [gate](docs/gate.md#how-a-verdict-is-reached) and [nope](#nope).',
        '[gone](docs/gone.md), [site](https://example.com/#x), `[code](docs/code.md)`',
        '```',
        '[fenced](docs/fenced.md)',
        '```',
        '[ref]: docs/gate.md#wrong',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'docs', 'gate.md'),
      '# Gate\n## How a verdict is reached\n[back](../README.md#exit-codes)\n',
    )
    assert.deepEqual(brokenLinks(dir, ['README.md', 'docs/gate.md']), [
      'README.md:3: #nope — no heading #nope in README.md',
      'README.md:4: docs/gone.md — no file docs/gone.md',
      'README.md:8: docs/gate.md#wrong — no heading #wrong in docs/gate.md',
    ])
  })
})
