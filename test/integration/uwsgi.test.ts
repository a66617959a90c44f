import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import type { ManagedProcess } from '../../src/stacks/spawn-process.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { appsYaml, repoRoot, tempDir } from './harness.js'

const flaskDir = join(repoRoot, 'apps/flask')
const parsed = parseProfile(`name: uwsgi
${appsYaml}
  flask-uwsgi: { kind: uwsgi, cwd: ${flaskDir}, module: "app:app", ready: { path: /health } }
  broken: { kind: uwsgi, cwd: ${flaskDir}, module: "no_such_module:app", ready: { path: /health } }
stacks:
  - { name: nginx-uwsgi-2, app: flask-uwsgi, proxy: nginx, workers: 2 }
  - { name: nginx-gunicorn-2, app: flask, proxy: nginx, workers: 2 }
  - { name: broken, app: broken, proxy: nginx }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile: Profile = parsed.profile
const spec = (name: string) => profile.stacks.find((s) => s.name === name) as Profile['stacks'][number]

async function fetchBody(url: string) {
  const { get } = await import('node:http')
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      get(url, { agent: false }, (response) => {
        let body = ''
        response.setEncoding('latin1')
        response.on('data', (c: string) => {
          body += c
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        )
      }).on('error', reject)
    },
  )
}

describe('nginx → uWSGI, beside nginx → gunicorn on the same Flask app', () => {
  const stacks = new Map<string, RunningStack>()
  before(async () => {
    for (const name of ['nginx-uwsgi-2', 'nginx-gunicorn-2'])
      stacks.set(name, await startStack(spec(name), profile, tempDir()))
  })
  after(async () => {
    for (const stack of stacks.values()) await stack.stop()
  })
  const stack = (name: string) => stacks.get(name) as RunningStack

  it('answers every endpoint with the same status and bytes as gunicorn does', async () => {
    const paths = [
      '/',
      '/json',
      '/cpu?ms=3',
      '/sleep?ms=5',
      '/bytes?n=70000',
      '/status?code=404',
      '/static/app.js',
    ]
    for (const path of paths) {
      const viaUwsgi = await fetchBody(`${stack('nginx-uwsgi-2').baseUrl}${path}`)
      const viaGunicorn = await fetchBody(`${stack('nginx-gunicorn-2').baseUrl}${path}`)
      assert.equal(viaUwsgi.status, viaGunicorn.status, path)
      assert.equal(viaUwsgi.body, viaGunicorn.body, path)
      assert.equal(viaUwsgi.headers['x-app'], 'flask', path)
      assert.match(String(viaUwsgi.headers['x-bench-stack']), /^[0-9a-f]{16}$/, 'through our nginx')
    }
  })

  it('runs a master and its 2 worker processes, as the app tier', () => {
    const s = stack('nginx-uwsgi-2')
    const uwsgi = s.processes[0] as ManagedProcess
    assert.equal(uwsgi.name, 'uwsgi "flask-uwsgi"')
    assert.equal(groupMembers(uwsgi.pid).length, 3)
    assert.deepEqual(
      s.tiers.map((t) => [t.tier, t.pgids]),
      [
        ['nginx', [s.processes[1]?.pid]],
        ['app', [uwsgi.pid]],
      ],
    )
  })

  it('stops with no process left (SIGTERM ends uWSGI instead of reloading it)', async () => {
    const s = stack('nginx-uwsgi-2')
    const pids = s.processes.map((p) => p.pid)
    const started = performance.now()
    await s.stop()
    assert.ok(performance.now() - started < 2500, 'stopped within the grace period, not by SIGKILL')
    for (const pid of pids) assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`)
  })
})

describe('a uWSGI app that cannot load', () => {
  it("exits at start, quoting uWSGI's own message, and leaves nothing running", async () => {
    const spawned: ManagedProcess[] = []
    const error = await startStack(spec('broken'), profile, tempDir(), {
      onSpawn: (p) => spawned.push(p),
    }).then(
      () => assert.fail('uWSGI started without its module'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof BenchError, String(error))
    assert.match(error.message, /^uwsgi "broken" exited at start \(code \d+\)/)
    assert.ok(
      error.logTail.some((line) => /no_such_module/.test(line)),
      error.logTail.join('\n'),
    )
    for (const p of spawned) assert.deepEqual(groupMembers(p.pid), [])
  })
})
