import assert from 'node:assert/strict'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { hasStackTrace, runCli, tempDir } from './harness.js'

/** A stand-in uvicorn on PATH: bench validate checks that the program exists, and starts nothing. */
function fakeUvicorn(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'uvicorn'), '#!/bin/sh\nexit 1\n')
  chmodSync(join(dir, 'uvicorn'), 0o755)
  return dir
}

describe('bench init → bench validate', () => {
  const cases: string[][] = [
    ['--app', 'gunicorn myapp:app'],
    ['--app', 'gunicorn -b 0.0.0.0:8000 -w 2 myapp:app', '--proxy', 'nginx'],
    ['--app', 'gunicorn myapp:app', '--proxy', 'haproxy', '--workers', '4', '--name', 'shop'],
    ['--app', 'uvicorn main:app --port 8000', '--proxy', 'nginx', '--workers', '2'],
    ['--app', 'node server.js'],
    ['--app', 'NODE_ENV=production node server.mjs --verbose', '--proxy', 'nginx'],
  ]
  for (const args of cases) {
    it(`bench init ${args.join(' ')}: validate accepts it`, async () => {
      const env = { PATH: `${fakeUvicorn()}:${process.env.PATH ?? ''}` }
      const made = await runCli(['init', ...args], undefined, env)
      assert.equal(made.code, 0, made.stderr)
      assert.equal(made.stderr, '')
      const file = join(tempDir(), 'my.yml')
      writeFileSync(file, made.stdout)
      const checked = await runCli(['validate', file], undefined, env)
      assert.equal(checked.code, 0, `${checked.stderr}\n${made.stdout}`)
      assert.equal(checked.stdout, `${file}: valid\n`)
    })
  }

  it('--workers for a command bench cannot place it in → 2, with a fix', async () => {
    const { code, stderr, stdout } = await runCli(['init', '--app', 'node server.js', '--workers', '4'])
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.match(stderr, /does not know how "node" takes a number of workers\n {2}fix: put \{workers\} where/)
    assert.ok(!hasStackTrace(stderr))
  })

  it('a bad --workers or --proxy → 2', async () => {
    const workers = await runCli(['init', '--app', 'gunicorn a:b', '--workers', '0'])
    assert.equal(workers.code, 2)
    assert.match(workers.stderr, /--workers must be a whole number from 1 to 256 \(got 0\)\n {2}fix: /)
    const proxy = await runCli(['init', '--app', 'gunicorn a:b', '--proxy', 'lighttpd'])
    assert.equal(proxy.code, 2)
    assert.match(proxy.stderr, /Invalid values:[\s\S]*proxy/)
    assert.match(proxy.stderr, /Choices: "nginx", "haproxy", "apache"/, 'every registered proxy kind offered')
  })
})
