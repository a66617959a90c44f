import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { jsonSchemaProblems } from '../json-schema-validator.js'
import { hasStackTrace, readResults, runCli, tempDir, writeProfile } from './harness.js'

interface Seen {
  method: string
  url: string
  header: string | undefined
  body: string
}

/** A server of the test's own, in this process: it records what it was sent. */
let server: Server
let port = 0
const seen: Seen[] = []

before(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (d) => {
      body += d
    })
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        header: req.headers['x-test'] as string,
        body,
      })
      if (req.url?.startsWith('/nope')) res.statusCode = 404
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
after(() => {
  server.closeAllConnections()
  server.close()
})

describe('one-line runs of a running server', () => {
  it('bench 127.0.0.1:PORT/hello -c 4 -d 1: a closed-loop table and results, GET /hello only', async () => {
    seen.length = 0
    const out = join(tempDir(), 'results.json')
    const result = await runCli([`127.0.0.1:${port}/hello?x=1`, '-c', '4', '-d', '1', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /phase "load" — closed loop/)
    assert.match(result.stdout, new RegExp(`127\\.0\\.0\\.1-${port}`))
    const results = readResults(out)
    assert.equal(results.status, 'complete')
    assert.equal(results.profile.name, 'url')
    assert.equal(results.cells.length, 1)
    const cell = results.cells[0]
    assert.equal(cell?.connections, 4)
    assert.ok((cell?.stats?.successes ?? 0) > 100, `successes: ${cell?.stats?.successes}`)
    assert.ok(seen.length >= (cell?.stats?.successes ?? 0), 'the server saw every request counted')
    assert.ok(
      seen.every((s) => s.method === 'GET' && s.url === '/hello?x=1'),
      JSON.stringify(seen.slice(0, 3)),
    )
  })

  it('bench 127.0.0.1:PORT/nope against 404 only: no latency figure (— and null), 100 % errors', async () => {
    const out = join(tempDir(), 'results.json')
    const result = await runCli([`127.0.0.1:${port}/nope`, '-c', '2', '-d', '1', '--out', out])
    const row = result.stdout
      .split('\n')
      .find((line) => line.includes(`127.0.0.1-${port}`) && line.includes('│'))
    assert.ok(row, result.stdout)
    const cells = row.split('│').map((c) => c.trim())
    assert.ok(cells.filter((c) => c === '—').length >= 5, `p50 to max shown as —: ${row}`)
    assert.ok(!/\b0\.000\b/.test(row), `no latency of 0 that no request had: ${row}`)
    assert.ok(cells.includes('100.0'), `100 % errors: ${row}`)
    const results = readResults(out)
    const latency = results.cells[0]?.stats?.latency
    assert.ok((results.cells[0]?.stats?.errorCount ?? 0) > 0)
    assert.deepEqual(latency, {
      count: 0,
      p50: null,
      p90: null,
      p99: null,
      p999: null,
      max: null,
      mean: null,
    })
    // the file is what bench schema --results describes
    const { stdout: schema } = await runCli(['schema', '--results'])
    assert.deepEqual(jsonSchemaProblems(JSON.parse(schema), readFileSync(out, 'utf8')), [])
  })

  it('bench run --url … -r 50 --method POST -H --body: open loop, the request as given', async () => {
    seen.length = 0
    const out = join(tempDir(), 'results.json')
    const args = ['run', '--url', `http://127.0.0.1:${port}/echo`, '-r', '50', '-d', '1s', '--method', 'post']
    const result = await runCli([...args, '-H', 'X-Test: yes', '--body', '{"a":1}', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /phase "load" — open loop/)
    const results = readResults(out)
    assert.equal(results.cells[0]?.loop, 'open')
    // first, bench checks with a GET that something answers at the URL
    assert.deepEqual(seen[0], { method: 'GET', url: '/echo', header: undefined, body: '' })
    const load = seen.slice(1)
    assert.ok(load.length >= 40 && load.length <= 60, `50 req/s for 1 s sent ${load.length}`)
    assert.ok(
      load.every(
        (s) => s.method === 'POST' && s.url === '/echo' && s.header === 'yes' && s.body === '{"a":1}',
      ),
      JSON.stringify(seen.slice(0, 3)),
    )
  })

  it('bench run <profile> --stacks b runs only stack b', async () => {
    const { file, dir } = writeProfile(
      `name: two\nstacks:\n  - { name: a, url: "http://127.0.0.1:${port}/a" }\n  - { name: b, url: "http://127.0.0.1:${port}/b" }\nphases:\n  - { name: p, connections: 2, duration: 1s }\n`,
    )
    seen.length = 0
    const out = join(dir, 'results.json')
    const result = await runCli(['run', file, '--stacks', 'b', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual([...new Set(readResults(out).cells.map((c) => c.stack))], ['b'])
    assert.ok(seen.length > 0 && seen.every((s) => s.url !== '/a'), 'stack a was loaded')
  })

  it('mistakes → 2 (or 4 when nothing answers), one message naming the flag, and no stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['http://192.0.2.1/'], 2, /the URL: targets 192\.0\.2\.1, which is not this machine's loopback/],
      [[`127.0.0.1:${port}/`, '-c', '2', '-r', '5'], 2, /-c \(connections, closed loop\) and -r/],
      [[`127.0.0.1:${port}/`, '-d', 'soon'], 2, /-d: "soon" is not a duration/],
      [[`127.0.0.1:${port}/`, '-c', '0'], 2, /-c: must be at least 1/],
      [[`127.0.0.1:${port}/`, '-H', 'nocolon'], 2, /-H "nocolon" is not a header/],
      [['rnu'], 2, /unknown command "rnu"\n {2}fix: did you mean bench run\?/],
      [['run', 'profiles/quick.yml', '--url', `127.0.0.1:${port}/`], 2, /both a profile .* and --url/],
      [
        ['run', 'profiles/quick.yml', '--stacks', 'ngnix-node'],
        2,
        /--stacks names "ngnix-node".*\n {2}fix: did you mean "nginx-node"\?/,
      ],
      [['run'], 2, /bench run needs a profile or --url/],
    ]
    for (const [args, code, message] of cases) {
      const result = await runCli(args)
      assert.equal(result.code, code, `bench ${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
      assert.match(result.stderr, /fix: /)
      assert.ok(!hasStackTrace(result.stderr), result.stderr)
    }
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const nobody = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const result = await runCli([`127.0.0.1:${nobody}/`, '-d', '1', '--out', join(tempDir(), 'r.json')])
    assert.equal(result.code, 4, result.stderr)
    assert.match(result.stderr, /nothing answers at http:\/\/127\.0\.0\.1:\d+\//)
  })
})
