import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BenchError } from '../../src/bench-error.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import type { ManagedProcess } from '../../src/stacks/spawn-process.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { appsYaml, closedLoad, fixtures, repoRoot, tempDir } from './harness.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

const staticDir = join(repoRoot, 'apps/static')
const parsed = parseProfile(`name: apache
${appsYaml}
  counter:
    command: node
    args: [${join(fixtures, 'count-connections.mjs')}, --port, "{port}"]
    ready: { path: /health }
stacks:
  - { name: apache-counter-x2, app: counter, proxy: apache, instances: 2 }
  - { name: apache-static, app: node, proxy: apache, static: { path: /static/, dir: ${staticDir} } }
  - { name: apache-tls, app: node, proxy: apache, tls: true }
  - { name: apache-gunicorn-2, app: flask, proxy: apache, workers: 2 }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile: Profile = parsed.profile

const apacheDirs = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('bench-apache-')))

/** GET with the body, on a fresh connection, over HTTP or HTTPS (any certificate). */
async function fetchText(
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { get } = await import(url.startsWith('https:') ? 'node:https' : 'node:http')
  return new Promise((resolve, reject) => {
    get(url, { agent: false, rejectUnauthorized: false }, (response: import('node:http').IncomingMessage) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    }).on('error', reject)
  })
}

describe('apache in front of the app', () => {
  const stacks = new Map<string, RunningStack>()
  const dirsBefore = apacheDirs()
  before(async () => {
    for (const spec of profile.stacks) stacks.set(spec.name, await startStack(spec, profile, tempDir()))
  })
  after(async () => {
    for (const stack of stacks.values()) await stack.stop()
  })
  const stack = (name: string) => stacks.get(name) as RunningStack

  it('balances the instances and keeps its connections to them alive', async (t) => {
    const counter = stack('apache-counter-x2')
    const sample = await threadedEngine.run(counter, closedLoad('/', 4, 1), new AbortController().signal)
    assert.ok(sample.successes > 200, `${sample.successes} responses`)
    const stats = new Map<number, { connections: number; requests: number }>()
    for (let i = 0; i < 50 && stats.size < 2; i++) {
      const answer = await fetchText(`${counter.baseUrl}/stats`)
      const parsed = JSON.parse(answer.body) as { port: number; connections: number; requests: number }
      stats.set(parsed.port, parsed)
    }
    assert.equal(stats.size, 2, 'both instances answered through apache')
    const counts = [...stats.values()]
    const requests = counts.reduce((sum, c) => sum + c.requests, 0)
    const connections = counts.reduce((sum, c) => sum + c.connections, 0)
    t.diagnostic(`${requests} requests over ${connections} upstream connections: ${JSON.stringify(counts)}`)
    assert.ok(
      Math.abs(requests - sample.successes) <= 4,
      `the instances saw ${requests} of ${sample.successes}`,
    )
    for (const c of counts)
      assert.ok(c.requests > requests * 0.3, `each instance gets its share: ${c.requests}`)
    assert.ok(
      connections <= 40,
      `${connections} upstream connections for ${requests} requests: not kept alive`,
    )
  })

  it('shows as its own tier beside the app instances', () => {
    const counter = stack('apache-counter-x2')
    assert.deepEqual(
      counter.tiers.map((t) => [t.tier, t.pgids.length]),
      [
        ['apache', 1],
        ['app', 2],
      ],
    )
    assert.deepEqual(
      counter.tiers.flatMap((t) => t.pgids),
      [counter.processes[2]?.pid, counter.processes[0]?.pid, counter.processes[1]?.pid],
    )
    assert.ok(
      groupMembers(counter.processes[2]?.pid as number).length >= 3,
      'apache: parent and its children',
    )
  })

  it('serves static files itself, byte for byte, and passes everything else to the app', async () => {
    const url = stack('apache-static').baseUrl
    const file = await fetchText(`${url}/static/app.js`)
    assert.equal(file.status, 200)
    assert.equal(file.headers['x-served-by'], 'apache-static')
    assert.equal(file.body, readFileSync(join(staticDir, 'app.js'), 'utf8'))
    const dynamic = await fetchText(`${url}/json`)
    assert.equal(dynamic.headers['x-app'], 'node')
    assert.equal(dynamic.headers['x-served-by'], undefined)
  })

  it('terminates TLS, and load runs over HTTPS', async () => {
    const tls = stack('apache-tls')
    assert.match(tls.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/)
    const answer = await fetchText(`${tls.baseUrl}/`)
    assert.equal(answer.body, 'hello world\n')
    assert.match(String(answer.headers['x-bench-stack']), /^[0-9a-f]{16}$/)
    const sample = await threadedEngine.run(tls, closedLoad('/', 4, 1), new AbortController().signal)
    assert.ok(sample.successes > 100, `${sample.successes} responses`)
    assert.equal(
      sample.errors.connect + sample.errors.reset + sample.errors.other,
      0,
      JSON.stringify(sample.errors),
    )
  })

  it('fronts gunicorn with all its workers forked', async () => {
    const gunicorn = stack('apache-gunicorn-2')
    const answer = await fetchText(`${gunicorn.baseUrl}/json`)
    assert.equal(answer.status, 200)
    assert.equal(answer.headers['x-app'], 'flask')
    assert.equal(groupMembers(gunicorn.processes[0]?.pid as number).length, 3)
  })

  it('stops with no process left in any group and its temp folder removed', async () => {
    const pids = [...stacks.values()].flatMap((s) => s.processes.map((p) => p.pid))
    for (const s of stacks.values()) await s.stop()
    for (const pid of pids) assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`)
    assert.deepEqual(
      [...apacheDirs()].filter((d) => !dirsBefore.has(d)),
      [],
    )
  })
})

describe('apache that cannot start', () => {
  it('quotes its own message, and leaves nothing running', async () => {
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    const spawned: ManagedProcess[] = []
    try {
      const spec = { ...(profile.stacks[2] as Profile['stacks'][number]), tls: false, port }
      const error = await startStack(spec, profile, tempDir(), { onSpawn: (p) => spawned.push(p) }).then(
        () => assert.fail('apache started on a port another process holds'),
        (e: unknown) => e,
      )
      assert.ok(error instanceof BenchError, String(error))
      assert.match(error.message, /^apache exited at start \(code 1\)/)
      assert.ok(
        error.logTail.some((line) =>
          /AH00072: make_sock: could not bind to address 127\.0\.0\.1:\d+/.test(line),
        ),
        error.logTail.join('\n'),
      )
      assert.deepEqual(
        spawned.map((p) => p.name),
        ['app "node"', 'apache'],
      )
      for (const p of spawned) assert.deepEqual(groupMembers(p.pid), [], `${p.name} left running`)
    } finally {
      holder.close()
    }
  })
})
