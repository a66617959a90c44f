import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { hasStackTrace, repoRoot, runCli, tempDir } from './harness.js'

const commands = [
  'run',
  'capacity',
  'agent',
  'gate',
  'validate',
  'plan',
  'report',
  'history',
  'init',
  'clean',
  'schema',
] as const

/** The example lines of a --help text: [command line, description]. */
function examplesOf(help: string): string[] {
  const section = help.split('\nExamples:\n')[1] ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('  bench'))
    .map((line) => (line.trim().split(/ {2,}/)[0] ?? '').trim())
}

describe('bench --help', () => {
  it('the top level lists every command, with examples', async () => {
    const { code, stdout } = await runCli(['--help'])
    assert.equal(code, 0)
    for (const command of commands) assert.match(stdout, new RegExp(`^ {2}bench ${command}\\b`, 'm'))
    assert.ok(examplesOf(stdout).length >= 3, stdout)
  })

  for (const command of commands) {
    it(`bench ${command} --help shows examples that name real files and real options`, async () => {
      const { code, stdout } = await runCli([command, '--help'])
      assert.equal(code, 0)
      const examples = examplesOf(stdout)
      const wrapped = (stdout.split('\nExamples:\n')[1] ?? '')
        .split('\n')
        .filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  bench'))
      assert.deepEqual(wrapped, [], `an example's command line is wrapped:\n${stdout}`)
      assert.ok(examples.length >= 2, `fewer than 2 examples:\n${stdout}`)
      for (const example of examples) {
        assert.ok(example.startsWith(`bench ${command}`), `example of another command: ${example}`)
        for (const profile of example.match(/profiles\/[\w-]+\.yml/g) ?? [])
          assert.ok(existsSync(join(repoRoot, profile)), `${example}: no ${profile}`)
        for (const flag of example.match(/--[\w-]+/g) ?? [])
          assert.match(stdout, new RegExp(`^ +(-\\w, )?${flag}\\b`, 'm'), `${example}: ${flag} is no option`)
      }
    })
  }

  it('the examples that start nothing run as shown', async () => {
    for (const command of ['validate', 'plan'] as const) {
      const { stdout } = await runCli([command, '--help'])
      for (const example of examplesOf(stdout).filter((e) => /^bench \w+ profiles\/\S+$/.test(e))) {
        const result = await runCli(example.split(' ').slice(1))
        assert.equal(result.code, 0, `${example}:\n${result.stderr}`)
      }
    }
  })

  it('no command → 2, naming the commands, with a fix and no stack trace', async () => {
    const { code, stderr } = await runCli([])
    assert.equal(code, 2)
    assert.match(
      stderr,
      /name a command: run, capacity, agent, report, gate, validate, plan, history, init, clean or schema/,
    )
    assert.match(stderr, /fix: see bench --help/)
    assert.ok(!hasStackTrace(stderr))
  })
})

const servers: [string, string[]][] = [
  ['nginx', ['-v']],
  ['haproxy', ['-v']],
  ['apache2', ['-v']],
  ['php-fpm8.2', ['-v']],
  ['uwsgi', ['--version']],
  ['gunicorn', ['--version']],
  ['wrk', ['-v']],
]
const sbin = ['/usr/local/sbin', '/usr/sbin', '/sbin']

/** What the server says its version is, asked directly with the same PATH (sbin added); undefined if absent. */
function versionLine(server: string, args: string[], path: string): string | undefined {
  const run = spawnSync(server, args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path}:${sbin.join(':')}` },
  })
  if (run.error) return undefined
  return `${run.stdout}${run.stderr}`.trim().split('\n')[0]
}

describe('bench --version', () => {
  const benchVersion = (
    JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  ).version

  for (const [label, path] of [
    ['the PATH of this test', process.env.PATH ?? ''],
    ['a PATH of an empty folder (sbin only)', tempDir()],
  ] as const) {
    it(`names bench, its engines and each server found, with ${label}`, async () => {
      const { code, stdout } = await runCli(['--version'], undefined, { PATH: path })
      assert.equal(code, 0)
      const lines = stdout.split('\n')
      assert.equal(lines[0], `bench ${benchVersion}`)
      assert.match(stdout, /^engine: bench, bench's own raw-socket HTTP\/1\.1 engine/m)
      assert.match(stdout, /autocannon 9\.0\.0, selectable per phase with engine: autocannon/)
      for (const [server, args] of servers) {
        const expected = versionLine(server, args, path) ?? 'not found'
        assert.ok(
          lines.some((line) => new RegExp(`^ +${server} +`).test(line) && line.trim().endsWith(expected)),
          `${server}: expected "${expected}" in:\n${stdout}`,
        )
      }
    })
  }

  it('says "not found" for a server that is not on PATH', async (t) => {
    const gunicornInSbin = sbin.some((dir) => existsSync(join(dir, 'gunicorn')))
    if (gunicornInSbin) return t.skip('gunicorn is in an sbin folder here')
    const { stdout } = await runCli(['--version'], undefined, { PATH: tempDir() })
    assert.match(stdout, /^ {2}gunicorn +not found$/m)
  })
})
