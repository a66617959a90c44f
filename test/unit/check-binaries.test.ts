import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { checkBinaries } from '../../src/stacks/check-binaries.js'

const parsed = parseProfile(`name: binaries
apps:
  node: { command: node, args: [server.mjs, "{port}"] }
  flask: { command: gunicorn, args: ["-b", "{host}:{port}", "app:app"] }
  flask-uwsgi: { kind: uwsgi, module: "app:app" }
  php: { kind: php-fpm, script: index.php }
  asgi: { command: uvicorn, args: [--port, "{port}", "app:app"] }
stacks:
  - { name: nginx-node, app: node, proxy: nginx }
  - { name: haproxy-node, app: node, proxy: haproxy }
  - { name: apache-gunicorn, app: flask, proxy: apache }
  - { name: nginx-uwsgi, app: flask-uwsgi, proxy: nginx }
  - { name: nginx-php, app: php, proxy: nginx }
  - { name: asgi, app: asgi }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile = parsed.profile

/** A machine where every program but `missing` is installed. */
const without = (missing: string) => (command: string) =>
  command === missing ? undefined : `/usr/bin/${command}`

describe('checkBinaries: a missing server binary names its Debian package', () => {
  const cases: [string, string, string][] = [
    ['nginx', 'stack "nginx-php" puts it in front of the app', 'nginx'], // the last stack that needs it
    ['haproxy', 'stack "haproxy-node" puts it in front of the app', 'haproxy'],
    ['apache2', 'stack "apache-gunicorn" puts it in front of the app', 'apache2'],
    ['php-fpm8.2', 'stack "nginx-php" runs app "php" with it', 'php-fpm'],
    ['uwsgi', 'stack "nginx-uwsgi" runs app "flask-uwsgi" with it', 'uwsgi uwsgi-plugin-python3'],
    ['gunicorn', 'flask', 'gunicorn'],
    ['uvicorn', 'asgi', 'uvicorn'],
  ]
  for (const [command, role, pkg] of cases)
    it(`${command} → one environment error (exit 3) with apt-get install -y ${pkg}`, () => {
      const problems = checkBinaries(profile, '/srv', without(command))
      assert.equal(problems.length, 1, problems.map((p) => p.message).join('; '))
      const [problem] = problems
      assert.equal(problem?.kind, 'environment')
      if (role.startsWith('stack')) assert.equal(problem?.message, `${command} is not installed (${role})`)
      else assert.equal(problem?.message, `command "${command}" of app "${role}" was not found`)
      assert.match(
        problem?.fix ?? '',
        new RegExp(`^install it: apt-get install -y ${pkg.replace(/[.]/g, '\\.')}( |$)`),
      )
    })

  it('a machine with everything installed has no problem', () => {
    assert.deepEqual(
      checkBinaries(profile, '/srv', (c) => `/usr/bin/${c}`),
      [],
    )
  })
})
