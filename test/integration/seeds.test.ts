import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startIdleConnections } from '../../src/load/idle-connections.js'
import { startSlowClients } from '../../src/load/slow-clients.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import {
  appsYaml,
  closedLoad,
  fixtures,
  hasStackTrace,
  leftoverProcesses,
  openLoad,
  readResults,
  repoRoot,
  runCli,
  tempDir,
  waitFor,
  writeProfile,
} from './harness.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

/** A TCP server that only counts connections, what each sent and when they close: ground truth for the
 * client-side crowds. */
async function countingServer() {
  const sockets = new Map<Socket, { bytes: number; head: string; headEnd: number }>()
  let opened = 0
  let bytes = 0
  const server = createServer((socket) => {
    opened++
    const sent = { bytes: 0, head: '', headEnd: -1 }
    sockets.set(socket, sent)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      bytes += chunk.length // never answers
      sent.bytes += chunk.length
      if (sent.headEnd < 0 && sent.head.length < 4096) {
        sent.head += chunk.toString('latin1')
        const end = sent.head.indexOf('\r\n\r\n')
        if (end >= 0) sent.headEnd = end + 4
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    opened: () => opened,
    bytes: () => bytes,
    open: () => sockets.size,
    /** Per open connection: whether its request head is complete, and the bytes it sent past the head (all of
     * them while the head is not complete, as a slowloris's never is). */
    sent: () =>
      [...sockets.values()].map((c) => ({
        headDone: c.headEnd >= 0,
        trickled: c.headEnd >= 0 ? c.bytes - c.headEnd : c.bytes,
      })),
    close: () => new Promise((r) => server.close(r)),
  }
}

describe("the seeds' scenarios", () => {
  it('slow clients stay within their bounds and are all closed at the end', async () => {
    const server = await countingServer()
    try {
      for (const kind of ['slow-headers', 'slow-body', 'slow-read'] as const) {
        const before = server.opened()
        const crowd = startSlowClients(server.url, {
          kind,
          connections: 7,
          bytesPerSecond: 50,
          path: '/',
          bodyBytes: 1000,
        })
        await waitFor(`${kind}: 7 connections`, () => server.open() === 7, 5000)
        // the crowd in its steady state, seen at the server: every connection has trickled 15 bytes (3 ticks at
        // 50 B/s), or, reading slowly, has sent its whole request and now only reads; only then count the
        // connections — none more may have appeared, and none may have been given up
        await waitFor(
          `${kind}: every connection trickling`,
          () =>
            server.sent().length === 7 &&
            server.sent().every((c) => (kind === 'slow-read' ? c.headDone : c.trickled >= 15)),
          5000,
        )
        const outcome = crowd.stop()
        assert.equal(server.opened() - before, 7, `${kind} opened exactly its connections`)
        assert.deepEqual(outcome, { kind, connections: 7, served: 0, held: 7, closed: 0, refused: 0 })
        await waitFor(`${kind}: every connection closed`, () => server.open() === 0, 5000)
      }
      // pacing: one slow body at 14 B/s for ~1.5 s sends its headers at once, then ~21 bytes of body
      const before = server.bytes()
      const body = startSlowClients(server.url, {
        kind: 'slow-body',
        connections: 1,
        bytesPerSecond: 14,
        path: '/upload',
        bodyBytes: 1000,
      })
      await waitFor('the slow body connection', () => server.open() === 1, 5000)
      const headersAt = performance.now()
      await waitFor('its headers', () => server.bytes() > before, 5000)
      const headerBytes = server.bytes() - before
      await new Promise((r) => setTimeout(r, 1500))
      const trickled = server.bytes() - before - headerBytes
      const expected = (14 * (performance.now() - headersAt)) / 1000
      body.stop()
      assert.ok(
        Math.abs(trickled - expected) <= 4,
        `sent ${trickled} body bytes, ${expected.toFixed(1)} due at 14 B/s`,
      )
      await waitFor('the slow body closed', () => server.open() === 0, 5000)
      const idle = startIdleConnections(server.url, 25)
      await waitFor('25 idle connections', () => server.open() === 25, 5000)
      assert.deepEqual(idle.stop(), { connections: 25, opened: 25, closed: 0 })
      await waitFor('the idle crowd closed', () => server.open() === 0, 5000)
    } finally {
      await server.close()
    }
  })

  it('under slow senders, gunicorn sync alone degrades normal clients far more than behind nginx', async (t) => {
    const { file, dir } = writeProfile(`name: slow-senders
${appsYaml}
stacks:
  - { name: gunicorn-2, app: flask, workers: 2 }
  - { name: nginx-gunicorn-2, app: flask, workers: 2, proxy: nginx }
phases:
  - name: slowloris
    connections: 4
    duration: 3s
    timeout: 1s
    requests: [{ path: /json }]
    slowClients: { kind: slow-headers, connections: 8, bytesPerSecond: 2 }
`)
    const out = join(dir, 'r.json')
    const result = await runCli(['run', file, '--out', out])
    assert.ok(!hasStackTrace(result.stderr))
    const results = readResults(out)
    const cell = (stack: string) => results.cells.find((c) => c.stack === stack)?.stats
    const direct = cell('gunicorn-2')
    const proxied = cell('nginx-gunicorn-2')
    assert.ok(direct && proxied, result.stderr)
    t.diagnostic(
      `normal clients: gunicorn direct ${Math.round(direct.reqPerSec)} req/s, p99 ${direct.latency.p99} ms, errors ${direct.errorPercent.toFixed(1)} %; ` +
        `behind nginx ${Math.round(proxied.reqPerSec)} req/s, p99 ${proxied.latency.p99} ms, errors ${proxied.errorPercent.toFixed(1)} %`,
    )
    // both sync workers are stuck reading slowloris headers: direct, the normal clients barely get through
    assert.ok(direct.errorPercent > 50, `direct error rate ${direct.errorPercent} %`)
    assert.ok(proxied.errorPercent < 1, `behind nginx error rate ${proxied.errorPercent} %`)
    assert.ok(proxied.reqPerSec > 10 * Math.max(1, direct.reqPerSec), 'nginx keeps the workers serving')
    assert.equal(direct.slowClients?.connections, 8)
    assert.equal(
      (direct.slowClients?.held ?? 0) + (direct.slowClients?.closed ?? 0) + (direct.slowClients?.served ?? 0),
      8,
    )
    assert.match(result.stdout, /8 slow-headers: \d+ held, \d+ served, \d+ closed/)
    assert.deepEqual(await leftoverProcesses(results), [])
  })

  describe('with running stacks', () => {
    let profile: Profile
    const stacks = new Map<string, RunningStack>()
    before(async () => {
      const parsed = parseProfile(`name: features
${appsYaml}
  counter:
    command: node
    args: [${join(fixtures, 'count-connections.mjs')}, --port, "{port}"]
    ready: { path: /health }
stacks:
  - { name: counter, app: counter }
  - { name: static, app: node, proxy: nginx, static: { path: /static/, dir: ${join(repoRoot, 'apps/static')} } }
  - { name: cache, app: node, proxy: nginx, cache: { path: /json, ttl: 60s } }
  - { name: tls, app: node, proxy: nginx, tls: true }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
      profile = parsed.profile
      for (const spec of profile.stacks) stacks.set(spec.name, await startStack(spec, profile, tempDir()))
    })
    after(async () => {
      for (const stack of stacks.values()) await stack.stop()
    })
    const stack = (name: string) => stacks.get(name) as RunningStack
    const stats = async () =>
      JSON.parse((await fetchText(`${stack('counter').baseUrl}/stats`)).body) as {
        connections: number
        requests: number
      }

    it('churn opens a new connection every N requests', async (t) => {
      const before = await stats()
      const sample = await threadedEngine.run(
        stack('counter'),
        closedLoad('/', 2, 1, { churn: 10 }),
        new AbortController().signal,
      )
      const after = await stats()
      const requests = after.requests - before.requests
      const connections = after.connections - before.connections - 1 // less the /stats probe's own
      t.diagnostic(
        `churn 10: ${requests} requests over ${connections} connections (${sample.successes} responses counted)`,
      )
      assert.ok(requests > 200, `${requests} requests`)
      const expected = 2 + Math.floor(requests / 10)
      assert.ok(
        Math.abs(connections - expected) <= 2 + expected * 0.02,
        `${connections} connections, expected ~${expected}`,
      )
      assert.ok(Math.abs(sample.successes - requests) <= 2, 'every churned request is counted as a response')
    })

    it('nginx serves static files itself, byte for byte', async () => {
      const response = await fetchText(`${stack('static').baseUrl}/static/app.js`)
      assert.equal(response.status, 200)
      assert.equal(response.headers['x-served-by'], 'nginx-static')
      assert.equal(response.body, readFileSync(join(repoRoot, 'apps/static/app.js'), 'utf8'))
      const dynamic = await fetchText(`${stack('static').baseUrl}/json`)
      assert.equal(dynamic.headers['x-app'], 'node', 'everything else still goes to the app')
    })

    it('nginx caches the cacheable endpoint: a MISS, then HITs with the same bytes', async () => {
      const first = await fetchText(`${stack('cache').baseUrl}/json`)
      const second = await fetchText(`${stack('cache').baseUrl}/json`)
      assert.equal(first.headers['x-cache-status'], 'MISS')
      assert.equal(second.headers['x-cache-status'], 'HIT')
      assert.equal(second.body, first.body)
      assert.deepEqual(JSON.parse(second.body), { message: 'hello world', items: [1, 2, 3] })
      const other = await fetchText(`${stack('cache').baseUrl}/`)
      assert.equal(other.headers['x-cache-status'], undefined, 'only the configured path is cached')
    })

    it('nginx terminates TLS with a self-signed certificate, and load runs over HTTPS', async () => {
      const url = stack('tls').baseUrl
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetchText(`${url}/`)
      assert.equal(response.status, 200)
      assert.equal(response.body, 'hello world\n')
      const closed = await threadedEngine.run(
        stack('tls'),
        closedLoad('/', 4, 1),
        new AbortController().signal,
      )
      assert.ok(
        closed.successes > 100 && closed.errors.connect + closed.errors.reset + closed.errors.other === 0,
        JSON.stringify(closed.errors),
      )
      const open = await threadedEngine.run(
        stack('tls'),
        openLoad({ from: 100, to: 100 }, 1, 8),
        new AbortController().signal,
      )
      assert.equal(open.successes, 100)
    })
  })
})

/** GET with the body, over HTTP or HTTPS (any certificate). */
async function fetchText(
  url: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
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
