import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import type { ManagedProcess } from '../../src/stacks/spawn-process.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { repoRoot, tempDir } from './harness.js'

const parsed = parseProfile(`name: php-fpm
apps:
  php: { kind: php-fpm, cwd: ${join(repoRoot, 'apps/php')}, script: index.php, ready: { path: /health } }
  lost: { kind: php-fpm, script: missing.php, ready: { path: /health, timeout: 1s } }
stacks:
  - { name: nginx-php-fpm-2, app: php, proxy: nginx, workers: 2 }
  - { name: nginx-php-fpm-x2, app: php, proxy: nginx, instances: 2 }
  - { name: never-ready, app: lost, proxy: nginx }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile: Profile = parsed.profile
const spec = (name: string) => profile.stacks.find((s) => s.name === name) as Profile['stacks'][number]
const benchDirs = () => new Set(readdirSync(tmpdir()).filter((f) => /^bench-(php-fpm|nginx)-/.test(f)))

async function fetchBody(url: string) {
  const { get } = await import('node:http')
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      get(url, { agent: false, signal: AbortSignal.timeout(10_000) }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (c: Buffer) => chunks.push(c))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        )
      }).on('error', reject)
    },
  )
}

describe('nginx → php-fpm over FastCGI', () => {
  const stacks = new Map<string, RunningStack>()
  const dirsBefore = benchDirs()
  before(async () => {
    for (const name of ['nginx-php-fpm-2', 'nginx-php-fpm-x2'])
      stacks.set(name, await startStack(spec(name), profile, tempDir()))
  })
  after(async () => {
    for (const stack of stacks.values()) await stack.stop()
  })
  const stack = (name: string) => stacks.get(name) as RunningStack

  it("serves the reference app's endpoints, byte for byte, through nginx", async () => {
    const url = stack('nginx-php-fpm-2').baseUrl
    const expected: [string, number, string][] = [
      ['/', 200, 'hello world\n'],
      ['/json', 200, '{"message":"hello world","items":[1,2,3]}'],
      ['/cpu?ms=5', 200, 'cpu 5 ms\n'],
      ['/status?code=404', 404, 'status 404\n'],
      ['/cpu?ms=x', 400, 'bad request\n'],
      ['/nowhere', 404, 'not found\n'],
    ]
    for (const [path, status, body] of expected) {
      const answer = await fetchBody(`${url}${path}`)
      assert.equal(answer.status, status, path)
      assert.equal(answer.body.toString(), body, path)
      assert.equal(answer.headers['x-app'], 'php', path)
      assert.match(String(answer.headers['x-bench-stack']), /^[0-9a-f]{16}$/, 'through our nginx')
    }
    const started = performance.now()
    const slept = await fetchBody(`${url}/sleep?ms=50`)
    assert.equal(slept.body.toString(), 'slept 50 ms\n')
    assert.ok(performance.now() - started >= 50)
    const bytes = await fetchBody(`${url}/bytes?n=100000`)
    assert.equal(bytes.body.length, 100_000)
    assert.ok(
      bytes.body.every((b) => b === 0x78),
      'all x',
    )
  })

  it('answers every request when more clients are in flight than the pool has children', async () => {
    // with fastcgi_keep_conn on, each child kept its connection idle in nginx's cache while the requests nginx
    // had sent on further connections waited in php-fpm's backlog until nginx's 60 s read timeout
    const url = stack('nginx-php-fpm-2').baseUrl
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 12 }, () => fetchBody(`${url}/sleep?ms=20`)))
      assert.deepEqual(
        answers.map((a) => a.status),
        Array(12).fill(200),
      )
    }
  })

  it("runs a static pool of workers: php-fpm's master and 2 children, as the app tier", () => {
    const s = stack('nginx-php-fpm-2')
    const fpm = s.processes[0] as ManagedProcess
    assert.equal(fpm.name, 'php-fpm "php"')
    assert.equal(groupMembers(fpm.pid).length, 3)
    assert.deepEqual(
      s.tiers.map((t) => [t.tier, t.pgids]),
      [
        ['nginx', [s.processes[1]?.pid]],
        ['app', [fpm.pid]],
      ],
    )
  })

  it('balances two php-fpm instances, each its own pool', async () => {
    const s = stack('nginx-php-fpm-x2')
    assert.deepEqual(
      s.processes.map((p) => p.name),
      ['php-fpm "php" #1', 'php-fpm "php" #2', 'nginx'],
    )
    for (const p of s.processes.slice(0, 2)) assert.equal(groupMembers(p.pid).length, 2, 'master + 1 child')
    assert.equal((await fetchBody(`${s.baseUrl}/`)).body.toString(), 'hello world\n')
  })

  it('stops with no process left and its temp folders removed', async () => {
    const pids = [...stacks.values()].flatMap((s) => s.processes.map((p) => p.pid))
    for (const s of stacks.values()) await s.stop()
    for (const pid of pids) assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`)
    assert.deepEqual(
      [...benchDirs()].filter((d) => !dirsBefore.has(d)),
      [],
    )
  })
})

describe('a FastCGI app that never gets ready', () => {
  it('fails after its ready timeout, naming what the FastCGI probe got, and leaves nothing running', async () => {
    const spawned: ManagedProcess[] = []
    const error = await startStack(spec('never-ready'), profile, tempDir(), {
      onSpawn: (p) => spawned.push(p),
    }).then(
      () => assert.fail('a pool without its script got ready'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof BenchError, String(error))
    assert.match(
      error.message,
      /^php-fpm "lost" did not answer 200 at fastcgi:\/\/127\.0\.0\.1:\d+\/health \(.*missing\.php\) within 1s \(last: status 404\)$/,
    )
    assert.deepEqual(
      spawned.map((p) => p.name),
      ['php-fpm "lost"'],
    )
    for (const p of spawned) assert.deepEqual(groupMembers(p.pid), [])
  })
})
