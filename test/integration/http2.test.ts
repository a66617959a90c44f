import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createServer, type Http2Session, connect as http2Connect } from 'node:http2'
import { after, before, describe, it } from 'node:test'
import { connect as tlsConnect } from 'node:tls'
import { promisify } from 'node:util'
import type { LoadSpec } from '../../src/load/contract/load-spec.js'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { summarizeLatency } from '../../src/samples/latency-histogram.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { measuredMs } from '../measured-ms.js'
import { closedLoad, openLoad, suiteStacks } from './harness.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

const run = (target: Parameters<typeof threadedEngine.run>[0], load: LoadSpec) =>
  threadedEngine.run(target, load, new AbortController().signal)
const noErrors = { ...emptyErrorCounts() }
const json = '{"message":"hello world","items":[1,2,3]}'

/** GET over node:http2, an independent client: status, body and the protocol negotiated. */
function h2Get(url: string, path: string): Promise<{ status: number; body: string; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url, { rejectUnauthorized: false })
    session.on('error', reject)
    const request = session.request({ ':path': path })
    let body = ''
    let status = 0
    request.on('response', (headers) => {
      status = Number(headers[':status'])
    })
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      const alpn = session.alpnProtocol ?? false
      session.close()
      resolve({ status, body, alpn })
    })
    request.on('error', reject)
  })
}

describe('HTTP/2 through nginx, haproxy and Apache in front of the HTTP/1.1 app', () => {
  const { stack, all } = suiteStacks(`
stacks:
  - { name: nginx-tls, app: node, proxy: nginx, tls: true }
  - { name: nginx, app: node, proxy: nginx }
  - { name: haproxy, app: node, proxy: haproxy }
  - { name: haproxy-tls, app: node, proxy: haproxy, tls: true }
  - { name: apache, app: node, proxy: apache }
  - { name: apache-tls, app: node, proxy: apache, tls: true }
phases: [{ name: p, connections: 1, duration: 1s, protocol: h2c }]
`)

  for (const name of ['nginx-tls', 'haproxy-tls', 'apache-tls'])
    it(`${name} negotiates h2 by ALPN on its TLS listener, and still serves HTTP/1.1 there`, async () => {
      const s = stack(name)
      const { port } = new URL(s.baseUrl)
      const alpn = await new Promise<string | false>((resolve, reject) => {
        const socket = tlsConnect({
          host: '127.0.0.1',
          port: Number(port),
          ALPNProtocols: ['h2'],
          rejectUnauthorized: false,
        })
        socket.once('secureConnect', () => {
          resolve(socket.alpnProtocol ?? false)
          socket.destroy()
        })
        socket.once('error', reject)
      })
      assert.equal(alpn, 'h2')
      assert.deepEqual(await h2Get(s.baseUrl, '/json'), { status: 200, body: json, alpn: 'h2' })
      const h1 = await run(s, closedLoad('/json', 2, 1))
      assert.ok(h1.successes > 20)
      assert.deepEqual(h1.errors, noErrors)
    })

  for (const [name, protocol] of [
    ['nginx-tls', 'h2'],
    ['nginx', 'h2c'],
    ['haproxy', 'h2c'],
    ['haproxy-tls', 'h2'],
    ['haproxy-tls', 'h2c'],
    ['apache', 'h2c'],
    ['apache-tls', 'h2'],
    ['apache-tls', 'h2c'],
  ] as const)
    it(`${name}: ${protocol} load, closed (2 × 8 streams) and open loop, every answer a 2xx`, async () => {
      const s = stack(name)
      if (protocol === 'h2c') {
        assert.ok(s.h2cUrl, 'the stack says where it speaks h2c')
        assert.deepEqual(await h2Get(s.h2cUrl, '/json'), { status: 200, body: json, alpn: 'h2c' })
      }
      const closed = await run(s, closedLoad('/json', 2, 1, { protocol, streams: 8 }))
      assert.ok(closed.successes > 100, `${closed.successes} answers`)
      assert.deepEqual(closed.errors, noErrors)
      assert.ok(closed.bytes / closed.successes >= json.length, 'each answer carried the body')
      const open = await run(s, { ...openLoad({ from: 300, to: 300 }, 1, 2, '/json'), protocol, streams: 8 })
      assert.ok(Math.abs(open.successes - 300) <= 3, `${open.successes} answers of 300 sent`)
      assert.deepEqual(open.errors, noErrors)
      assert.equal(open.open?.blocked, 0)
    })

  it('nginx serves HTTP/1.1 on its main port while h2c has a port of its own', async () => {
    const s = stack('nginx')
    assert.notEqual(s.h2cUrl, s.baseUrl)
    const h1 = await run(s, closedLoad('/json', 2, 1))
    assert.ok(h1.successes > 20)
    assert.deepEqual(h1.errors, noErrors)
  })

  it('stops with no process left', async () => {
    const pids = all().flatMap((s) => s.processes.map((p) => p.pid))
    for (const s of all()) await s.stop()
    for (const pid of pids) assert.deepEqual(groupMembers(pid), [])
  })
})

describe('HTTP/2 against a server with a known delay: streams honoured, h2load agrees', () => {
  let maxStreams = 0
  const sessions = new Set<Http2Session>()
  let url = ''
  const server = createServer()
  server.on('session', (session) => {
    sessions.add(session)
    let active = 0
    let served = 0
    session.on('stream', (stream, headers) => {
      active++
      maxStreams = Math.max(maxStreams, active)
      stream.on('close', () => active--)
      stream.on('error', () => {}) // the reset streams
      const path = String(headers[':path'])
      if (path === '/reset') return stream.close(0x2) // INTERNAL_ERROR: RST_STREAM
      setTimeout(() => {
        if (stream.destroyed) return
        stream.respond({ ':status': path === '/busy' ? 503 : 200 })
        stream.end('ok')
        if (path === '/goaway' && ++served % 50 === 0) session.goaway(0) // NO_ERROR: a graceful end
        // INTERNAL_ERROR: the streams still in flight on the connection are lost
        if (path === '/goaway-error' && ++served % 50 === 0) session.goaway(0x2, stream.id)
      }, 20)
    })
  })
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  after(async () => {
    for (const session of sessions) session.destroy()
    await new Promise((resolve) => server.close(resolve))
  })

  it('keeps 8 streams in flight on each of 2 connections: 800 req/s at 20 ms, as h2load -c 2 -m 8 measures', async () => {
    maxStreams = 0
    const ours = await run(
      { baseUrl: url, h2cUrl: url },
      closedLoad('/', 2, 2, { protocol: 'h2c', streams: 8 }),
    )
    assert.equal(maxStreams, 8, 'the server saw 8 streams at once on a connection, never more')
    const oursRate = (ours.successes * 1000) / ours.durationMs
    const oursMean = measuredMs(summarizeLatency([ours.histogram]).mean)
    const { stdout } = await promisify(execFile)('h2load', ['-c', '2', '-m', '8', '-D', '2', `${url}/`])
    const theirRate = Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(stdout)?.[1])
    const [, mean, unit] = /time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(stdout) ?? []
    const theirMean = Number(mean) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1)
    assert.ok(Math.abs(oursRate / theirRate - 1) < 0.1, `bench ${oursRate} req/s, h2load ${theirRate}`)
    assert.ok(Math.abs(oursMean / theirMean - 1) < 0.1, `bench mean ${oursMean} ms, h2load ${theirMean} ms`)
    assert.ok(oursMean >= 20 && oursMean < 26, `mean ${oursMean} ms`)
  })

  it('open loop: 200 req/s over 4 streams on 2 connections, latency from the intended send', async () => {
    const open = await run(
      { baseUrl: url },
      { ...openLoad({ from: 200, to: 200 }, 2, 2), protocol: 'h2c', streams: 4 },
    )
    assert.ok(Math.abs(open.successes - 400) <= 2, `${open.successes}`)
    assert.deepEqual(open.errors, noErrors)
    const corrected = summarizeLatency([open.open?.correctedHistogram ?? ''])
    assert.ok(
      measuredMs(corrected.p50) >= 20 && measuredMs(corrected.p50) < 25,
      `corrected p50 ${corrected.p50} ms`,
    )
  })

  it('counts a reset stream as streamReset and a 503 by status, and the connection goes on', async () => {
    const mix = closedLoad('/', 2, 1, {
      protocol: 'h2c',
      streams: 4,
      requests: [
        { method: 'GET', path: '/', headers: {}, endpoint: 0 },
        { method: 'GET', path: '/reset', headers: {}, endpoint: 1 },
        { method: 'GET', path: '/busy', headers: {}, endpoint: 2 },
      ],
    })
    const sample = await run({ baseUrl: url }, mix)
    assert.ok(sample.successes > 50, `${sample.successes}`)
    assert.ok(sample.errors.streamReset > 50, JSON.stringify(sample.errors))
    assert.ok((sample.errors.status['503'] ?? 0) > 50, JSON.stringify(sample.errors))
    const { connect, other, timeout, reset, goaway } = sample.errors
    assert.equal(connect + other + timeout + reset + goaway, 0, JSON.stringify(sample.errors))
  })

  it('a GOAWAY with an error code fails the streams in flight as goaway; the connection reopens', async () => {
    const sample = await run(
      { baseUrl: url },
      closedLoad('/goaway-error', 2, 2, { protocol: 'h2c', streams: 4 }),
    )
    assert.ok(sample.successes > 300, `${sample.successes}: the load went on after each GOAWAY`)
    assert.ok(sample.errors.goaway > 0, JSON.stringify(sample.errors))
    const { connect, other, timeout, reset, streamReset } = sample.errors
    assert.equal(connect + other + timeout + reset + streamReset, 0, JSON.stringify(sample.errors))
  })

  it('a graceful GOAWAY ends the connection cleanly: it reopens and nothing is lost', async () => {
    const sample = await run({ baseUrl: url }, closedLoad('/goaway', 2, 2, { protocol: 'h2c', streams: 4 }))
    assert.ok(sample.successes > 300, `${sample.successes}: several GOAWAYs went by`)
    assert.deepEqual(sample.errors, noErrors)
  })
})
