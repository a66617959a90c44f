import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import { after, describe, it } from 'node:test'
import type { LoadSpec } from '../../src/load/contract/load-spec.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { summarizeLatency } from '../../src/samples/latency-histogram.js'
import { freePort } from '../../src/stacks/free-port.js'
import { measuredMs } from '../measured-ms.js'
import { closedLoad, openLoad } from './harness.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

/** A raw TCP server on loopback whose every connection is handled by `serve`: misbehaviour on demand. */
async function rawServer(serve: (socket: Socket, request: string) => void) {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let head = ''
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1')
      let end = head.indexOf('\r\n\r\n')
      while (end >= 0) {
        serve(socket, head.slice(0, end))
        head = head.slice(end + 4)
        end = head.indexOf('\r\n\r\n')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    target: { baseUrl: `http://127.0.0.1:${port}` },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

const run = (target: { baseUrl: string }, load: LoadSpec) =>
  threadedEngine.run(target, load, new AbortController().signal)
const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`

describe('the engine against servers that misbehave: counted errors, no crash, bounded time and memory', () => {
  const servers: { close(): Promise<void> }[] = []
  const start = async (serve: (socket: Socket, request: string) => void) => {
    const server = await rawServer(serve)
    servers.push(server)
    return server.target
  }
  after(async () => {
    for (const server of servers) await server.close()
  })

  it('counts garbage as errors of class other, in both loops', async () => {
    const target = await start((socket) => socket.write('hello, this is not HTTP\r\n\r\n'))
    const closed = await run(target, closedLoad('/', 2, 1))
    assert.equal(closed.successes, 0)
    assert.ok(closed.errors.other > 10, JSON.stringify(closed.errors))
    const open = await run(target, openLoad({ from: 200, to: 200 }, 1, 8))
    assert.equal(open.successes, 0)
    assert.ok((open.open?.sent ?? 0) >= 199, `sent ${open.open?.sent}`)
    assert.ok(open.errors.other >= 150, JSON.stringify(open.errors))
  })

  it('counts a body cut short by the server closing as a reset', async () => {
    const target = await start((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789')
      socket.end()
    })
    const sample = await run(target, closedLoad('/', 2, 1))
    assert.equal(sample.successes, 0)
    assert.ok(sample.errors.reset > 10, JSON.stringify(sample.errors))
  })

  it('times out a server that never answers, and the step still ends on time', async () => {
    const target = await start(() => {})
    const sample = await run(target, { ...closedLoad('/', 3, 2.5), timeoutMs: 1000 })
    assert.equal(sample.successes, 0)
    assert.ok(sample.errors.timeout >= 3, JSON.stringify(sample.errors))
    assert.ok(sample.durationMs < 3500, `step took ${sample.durationMs} ms`)
    const open = await run(target, { ...openLoad({ from: 20, to: 20 }, 1, 4), timeoutMs: 1000 })
    assert.equal(open.successes, 0)
    assert.equal(open.errors.timeout, open.open?.sent, JSON.stringify(open.errors))
  })

  it('reads a 1 GB body without holding it: memory stays bounded', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x')
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n'
    const target = await start((socket) => {
      socket.write(head)
      const pour = () => {
        while (!socket.destroyed && socket.write(chunk)) {}
      }
      socket.on('drain', pour)
      pour()
    })
    const before = process.memoryUsage().rss
    const sample = await run(target, { ...closedLoad('/', 1, 2), timeoutMs: 60_000 })
    const grown = (process.memoryUsage().rss - before) / 1e6
    // every byte was counted, none kept: a complete answer is its head and the 1e9 bytes of its body
    assert.equal(
      sample.bytes,
      sample.successes * (head.length + 1e9),
      `${sample.bytes} B, ${sample.successes}`,
    )
    assert.ok(sample.durationMs < 3000, `step took ${sample.durationMs} ms`)
    assert.ok(grown < 150, `RSS grew ${grown.toFixed(0)} MB`)
  })

  it('counts refused connections as connect errors without spinning', async () => {
    const port = await freePort('127.0.0.1')
    const sample = await run({ baseUrl: `http://127.0.0.1:${port}` }, closedLoad('/', 2, 1))
    assert.equal(sample.successes, 0)
    // a failed connect is retried after 10 ms: about 100 per second and connection, not thousands
    assert.ok(sample.errors.connect > 20 && sample.errors.connect < 400, JSON.stringify(sample.errors))
  })

  it('reads chunked bodies, skips 100 Continue, and answers HEAD without a body', async () => {
    const target = await start((socket, request) => {
      if (request.startsWith('HEAD')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n')
      else if (request.includes('/chunked'))
        socket.write(
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
        )
      else socket.write(`HTTP/1.1 100 Continue\r\n\r\n${ok('ok\n')}`)
    })
    const mix = closedLoad('/', 2, 1, {
      requests: [
        { method: 'HEAD', path: '/', headers: {} },
        { method: 'GET', path: '/chunked', headers: {} },
        { method: 'GET', path: '/continue', headers: {} },
      ],
    })
    const sample = await run(target, mix)
    assert.ok(sample.successes > 100, `${sample.successes} responses`)
    assert.deepEqual(sample.errors, { ...emptyErrorCounts() })
  })

  it('sends a weighted mix in its proportions and counts non-2xx by status', async () => {
    const seen = new Map<string, number>()
    const target = await start((socket, request) => {
      const path = request.split(' ')[1] ?? ''
      seen.set(path, (seen.get(path) ?? 0) + 1)
      socket.write(path === '/missing' ? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' : ok('ok'))
    })
    const load = closedLoad('/', 4, 1, {
      requests: [
        { method: 'GET', path: '/a', headers: {} },
        { method: 'GET', path: '/a', headers: {} },
        { method: 'GET', path: '/a', headers: {} },
        { method: 'GET', path: '/missing', headers: {} },
      ],
    })
    const sample = await run(target, load)
    const a = seen.get('/a') ?? 0
    const missing = seen.get('/missing') ?? 0
    assert.ok(Math.abs(a / (a + missing) - 0.75) < 0.01, `/a ${a}, /missing ${missing}`)
    assert.ok(Math.abs((sample.errors.status['404'] ?? 0) - missing) <= 4, JSON.stringify(sample.errors))
    assert.ok(Math.abs(sample.successes - a) <= 4, `${sample.successes} successes, ${a} served`)
  })

  it('a signal aborted before the step starts stops its threads at once, not after the step', async () => {
    const target = await start((socket) => socket.write(ok('ok')))
    const controller = new AbortController()
    controller.abort()
    const sample = await threadedEngine.run(
      target,
      closedLoad('/', 2, 20, { generators: 2 }),
      controller.signal,
    )
    assert.ok(sample.durationMs < 2000, `ran ${sample.durationMs} ms of a 20 s step`)
  })

  it('counts each request of a mix apart, merged over threads, in both loops (per-endpoint rows)', async () => {
    const seen = new Map<string, number>()
    const target = await start((socket, request) => {
      const path = request.split(' ')[1] ?? ''
      seen.set(path, (seen.get(path) ?? 0) + 1)
      if (path === '/missing') socket.write('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n')
      // 6, not 5: a Node timer can fire up to 1 ms early against performance.now() (libuv keeps its clock in
      // whole ms), and with every share scheduled from one start the slow requests all arrive at the same
      // sub-ms phase, so 5 ms gave a p50 of 4.9 ms about one run in three
      else if (path === '/slow') setTimeout(() => socket.write(ok('slow')), 6)
      else socket.write(ok('fast'))
    })
    const requests = [
      { method: 'GET' as const, path: '/fast', headers: {}, endpoint: 0 },
      { method: 'GET' as const, path: '/slow', headers: {}, endpoint: 1 },
      { method: 'GET' as const, path: '/fast', headers: {}, endpoint: 0 },
      { method: 'GET' as const, path: '/missing', headers: {}, endpoint: 2 },
    ]
    const endpoints = ['GET /fast', 'GET /slow', 'GET /missing']
    for (const load of [
      closedLoad('/', 8, 1, { requests, endpoints, generators: 2 }),
      { ...openLoad({ from: 400, to: 400 }, 1, 16), requests, endpoints, generators: 2 },
    ]) {
      seen.clear()
      const sample = await run(target, load)
      const [fast, slow, missing] = sample.endpoints ?? []
      assert.deepEqual(
        sample.endpoints?.map((e) => e.name),
        endpoints,
      )
      const inFlight = load.loop === 'closed' ? 8 : 16 // answered by the server after the step's end
      assert.ok(Math.abs((fast?.successes ?? 0) - (seen.get('/fast') ?? 0)) <= inFlight, JSON.stringify(fast))
      assert.ok(Math.abs((slow?.successes ?? 0) - (seen.get('/slow') ?? 0)) <= inFlight, JSON.stringify(slow))
      assert.equal((fast?.successes ?? 0) + (slow?.successes ?? 0), sample.successes)
      assert.equal(missing?.successes, 0)
      assert.equal(missing?.errors.status['500'], sample.errors.status['500'])
      assert.ok((missing?.errors.status['500'] ?? 0) > 0)
      const p50 = (e: typeof fast) => measuredMs(summarizeLatency([e?.histogram ?? '']).p50)
      assert.ok(p50(slow) >= 5, `slow p50 ${p50(slow)} ms`)
      assert.ok(p50(fast) < p50(slow), `fast p50 ${p50(fast)} ms, slow ${p50(slow)} ms`)
    }
  })
})
