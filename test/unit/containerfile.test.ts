import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

// This machine has no container engine, so the image is not built here: these checks catch what would break
// the build or the image without one (a COPY of a missing path, an entrypoint the build does not produce).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const text = readFileSync(join(root, 'Containerfile'), 'utf8')
/** The instructions, comments and blank lines dropped, continuation lines joined. */
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.replace(/\/$/, ''))

describe('the Containerfile', () => {
  it('builds from the official Node 20 image in two stages, installing with npm install (not npm ci)', () => {
    const froms = instructions.filter((line) => line.startsWith('FROM '))
    assert.deepEqual(froms, ['FROM node:20-bookworm-slim AS build', 'FROM node:20-bookworm-slim'])
    const runs = instructions.filter((line) => line.startsWith('RUN '))
    assert.ok(runs.some((line) => /npm install --no-audit/.test(line)))
    assert.ok(!runs.some((line) => /npm ci\b/.test(line)))
    assert.ok(runs.some((line) => /npm run build && npm prune --omit=dev/.test(line)))
  })

  it('copies patches/ before npm install runs patch-package', () => {
    const patches = instructions.indexOf('COPY patches/ patches/')
    const install = instructions.findIndex((line) => /^RUN npm install/.test(line))
    assert.ok(patches >= 0 && install > patches, `patches at ${patches}, install at ${install}`)
    assert.ok(existsSync(join(root, 'patches/autocannon+9.0.0.patch')))
  })

  it('copies only paths that exist in the repository and that .dockerignore does not leave out', () => {
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.startsWith('COPY --from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
    assert.ok(sources.length >= 6, sources.join(' '))
    for (const source of sources) {
      assert.ok(existsSync(join(root, source)), `COPY ${source}: not in the repository`)
      assert.ok(!ignored.includes(source.replace(/\/$/, '')), `COPY ${source}: left out by .dockerignore`)
    }
  })

  it('runs the entrypoint the build produces, as a non-root user given by number', () => {
    assert.ok(instructions.includes('ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]'))
    // the tests run from dist/, built by the same `npm run build` as the image's
    assert.ok(existsSync(join(root, 'dist/src/cli/main.js')))
    assert.ok(instructions.includes('COPY --from=build /app/dist/ dist/'))
    const user = instructions.filter((line) => line.startsWith('USER ')).at(-1)
    // runAsNonRoot (the manifests set it) can check only a numeric user
    assert.match(user ?? '', /^USER [1-9]\d*(:\d+)?$/)
    // the coordinator's command calls `bench` by name: the checkout's wrapper script, on PATH
    assert.match(text, /ENV .*PATH=\/app:\$PATH/)
    assert.ok(instructions.some((line) => /^COPY bench /.test(line)))
  })
})
