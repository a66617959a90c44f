import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { type InitOptions, renderInitProfile } from '../../src/profile/render-init-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { splitCommand } from '../../src/profile/split-command.js'

function init(app: string, more: Partial<InitOptions> = {}): { text: string; profile: Profile } {
  const text = renderInitProfile({
    app,
    schemaPath: '/x/bench-profile.schema.json',
    commandLine: 'bench init',
    ...more,
  })
  const parsed = parseProfile(text)
  if (!parsed.ok)
    assert.fail(`bench refuses the profile of ${app}:\n${JSON.stringify(parsed.issues)}\n${text}`)
  return { text, profile: parsed.profile }
}

describe('bench init', () => {
  it('gunicorn: -b {host}:{port} first, -w {workers} for workers, the module as the name', () => {
    const { text, profile } = init('gunicorn myapp:app')
    assert.equal(profile.name, 'myapp')
    assert.deepEqual(profile.apps.myapp?.args, ['-b', '{host}:{port}', 'myapp:app'])
    assert.deepEqual(profile.apps.myapp?.workerArgs, ['-w', '{workers}'])
    assert.deepEqual(
      profile.stacks.map((s) => [s.name, s.proxy, s.workers]),
      [['myapp', undefined, undefined]],
    )
    assert.deepEqual(profile.phases[0]?.connections, [10, 50, 200])
    assert.match(text, /^# yaml-language-server: \$schema=\/x\/bench-profile\.schema\.json\n/)
    assert.match(text, /# A GUESS: .*\n.*\n {4}ready: \{ path: \/, status: 200/)
  })

  it("gunicorn's own bind and worker count are replaced; --proxy adds a stack behind it", () => {
    const { text, profile } = init(
      'gunicorn --chdir src -b 0.0.0.0:8000 --workers=3 "pkg.web:create_app()"',
      {
        proxy: 'nginx',
      },
    )
    assert.deepEqual(profile.apps.web?.args, [
      '-b',
      '{host}:{port}',
      '--chdir',
      'src',
      'pkg.web:create_app()',
    ])
    assert.deepEqual(
      profile.stacks.map((s) => [s.name, s.proxy, s.workers]),
      [
        ['web-w3', undefined, 3],
        ['nginx-web-w3', 'nginx', 3],
      ],
    )
    assert.match(text, /# your -b 0\.0\.0\.0:8000 was replaced/)
    assert.match(text, /# your --workers=3 became the stacks' workers/)
  })

  it('--workers and --name win over the command', () => {
    const { profile } = init('python3 -m gunicorn -w 2 app:app', {
      workers: 4,
      name: 'shop',
      proxy: 'haproxy',
    })
    assert.deepEqual(profile.apps.shop?.args, ['-m', 'gunicorn', '-b', '{host}:{port}', 'app:app'])
    assert.equal(profile.apps.shop?.command, 'python3')
    assert.deepEqual(
      profile.stacks.map((s) => [s.name, s.workers]),
      [
        ['shop-w4', 4],
        ['haproxy-shop-w4', 4],
      ],
    )
  })

  it('uvicorn: --host {host} --port {port} at the end, --workers {workers}', () => {
    const { profile } = init('uvicorn main:app --port 8000 --log-level warning', { workers: 2 })
    assert.deepEqual(profile.apps.main?.args, [
      'main:app',
      '--log-level',
      'warning',
      '--host',
      '{host}',
      '--port',
      '{port}',
    ])
    assert.deepEqual(profile.apps.main?.workerArgs, ['--workers', '{workers}'])
  })

  it('node: told its port in PORT and its address in HOST; named after the script', () => {
    const { text, profile } = init('NODE_ENV=production node dist/server.js')
    assert.equal(profile.name, 'server')
    assert.deepEqual(profile.apps.server?.args, ['dist/server.js'])
    assert.deepEqual(profile.apps.server?.env, { NODE_ENV: 'production', PORT: '{port}', HOST: '{host}' })
    assert.match(text, /PORT and its address in HOST/)
  })

  it('a command that already places {port} and {workers} is kept as written', () => {
    const { profile } = init('./my-server --listen "{host}:{port}" --threads {workers}', { workers: 8 })
    assert.equal(profile.name, 'my-server')
    assert.deepEqual(profile.apps['my-server']?.args, ['--listen', '{host}:{port}'])
    assert.deepEqual(profile.apps['my-server']?.workerArgs, ['--threads', '{workers}'])
    assert.deepEqual(profile.apps['my-server']?.env, {})
  })

  it('refuses --workers for a command whose worker option it cannot know, and an empty or bad command', () => {
    const refused = (app: string, more: Partial<InitOptions>, message: RegExp) =>
      assert.throws(
        () => renderInitProfile({ app, schemaPath: 'x', commandLine: 'x', ...more }),
        (e: unknown) =>
          e instanceof BenchError && e.kind === 'input' && message.test(e.message) && e.fix.length > 0,
      )
    refused('node server.js', { workers: 4 }, /does not know how "node" takes a number of workers/)
    refused('   ', {}, /the app command is empty/)
    refused('gunicorn "app:app', {}, /unterminated double quote/)
    refused('gunicorn app:app', { name: 'my app' }, /--name "my app" may hold only/)
  })

  it('splits a command line as a shell does', () => {
    assert.deepEqual(splitCommand(`a  'b c' "d \\"e\\"" f\\ g ''`), ['a', 'b c', 'd "e"', 'f g', ''])
  })
})
