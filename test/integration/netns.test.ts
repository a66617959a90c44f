// The namespace harness itself (test/netns.ts): two roles reach each other over the bridge, the host's own
// namespace has no way to them, no role has a way out, and nothing of ours remains after teardown — a failed
// body included.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { after, describe, it } from 'node:test'
import {
  createTestNetwork,
  type NetnsProcess,
  namespacesWithPrefix,
  type TestNetwork,
  withTestNetwork,
} from '../netns.js'

/** A TCP server on `host:port` that answers "pong" and exits (node, inside a namespace). */
const serverScript = `
const net = require('node:net')
const [host, port] = process.argv.slice(1)
const server = net.createServer((socket) => { socket.end('pong'); server.close() })
server.listen(Number(port), host)
`
/** Connects to host:port and prints what it read, or the error code (bounded by a 2 s timeout). */
const clientScript = `
const net = require('node:net')
const [host, port] = process.argv.slice(1)
const socket = net.connect({ host, port: Number(port), timeout: 2000 })
let read = ''
socket.on('data', (d) => { read += d })
socket.on('end', () => { console.log(read); process.exit(0) })
socket.on('timeout', () => { console.log('TIMEOUT'); process.exit(0) })
socket.on('error', (e) => { console.log(e.code); process.exit(0) })
`

/** Interfaces of the host's own namespace (names only). */
function hostLinks(): string[] {
  return execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.split(':')[1] ?? '').trim())
}

describe('test network of namespaces', () => {
  let network: TestNetwork | undefined
  after(async () => {
    await network?.remove()
  })

  it('joins two roles over the bridge, isolated from the host, with no way out, and removes it all', async () => {
    const linksBefore = hostLinks()
    network = await createTestNetwork(['a', 'b'])
    const net = network
    assert.match(net.address('a'), /^198\.18\.\d+\.10$/)
    assert.equal(namespacesWithPrefix(net.prefix).length, 3, 'the bridge and two roles')

    const port = 7001
    const server = net.spawn('b', process.execPath, ['-e', serverScript, net.address('b'), String(port)])
    await net.waitForPort('b', port)
    const read = await net.exec('a', process.execPath, ['-e', clientScript, net.address('b'), String(port)])
    assert.equal(read.trim(), 'pong', 'a reaches b over the bridge')
    assert.deepEqual(await server.exited, { code: 0, signal: null })

    // No default route in a role: anything off 198.18.X.0/24 is unreachable at once (no packet leaves).
    assert.equal((await net.exec('a', 'ip', ['route', 'show', 'default'])).trim(), '')
    const out = await net.exec('a', process.execPath, ['-e', clientScript, '192.0.2.1', '80'])
    assert.equal(out.trim(), 'ENETUNREACH')

    // The host's namespace holds none of our interfaces and no address or route of our subnet.
    assert.deepEqual(hostLinks(), linksBefore, 'no interface added to the host namespace')
    const hostAddresses = execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' })
    assert.doesNotMatch(hostAddresses, new RegExp(`198\\.18\\.${net.subnet}\\.`))
    const hostRoutes = execFileSync('ip', ['route', 'show'], { encoding: 'utf8' })
    assert.doesNotMatch(hostRoutes, new RegExp(`198\\.18\\.${net.subnet}\\.`))

    const sleeper = net.spawn('a', 'sleep', ['60'])
    assert.deepEqual(await net.pids('a'), [sleeper.pid])
    await net.remove()
    network = undefined
    assert.deepEqual(namespacesWithPrefix(net.prefix), [], 'no namespace of ours left')
    assert.deepEqual(hostLinks(), linksBefore, 'no veth left in the host namespace')
    assert.equal((await sleeper.exited).signal, 'SIGTERM', 'the process started in it was stopped')
  })

  it('removes a network left by a test process that is gone (SIGKILL: no hook ran), and only such', async () => {
    const dead = spawnSync('true').pid as number
    const orphan = `bench-t${dead}-1-orphan`
    execFileSync('ip', ['netns', 'add', orphan])
    try {
      await withTestNetwork(['a'], async (net) => {
        assert.deepEqual(namespacesWithPrefix(orphan), [], 'the orphan was removed')
        assert.equal(namespacesWithPrefix(net.prefix).length, 2, 'our own network stands')
      })
    } finally {
      if (namespacesWithPrefix(orphan).length > 0) execFileSync('ip', ['netns', 'delete', orphan])
    }
  })

  it('removes the network when the body fails', async () => {
    let prefix = ''
    let sleeper: NetnsProcess | undefined
    await assert.rejects(
      withTestNetwork(['a'], async (net) => {
        prefix = net.prefix
        sleeper = net.spawn('a', 'sleep', ['60'])
        throw new Error('the test failed')
      }),
      /the test failed/,
    )
    assert.notEqual(prefix, '')
    assert.deepEqual(namespacesWithPrefix(prefix), [])
    assert.equal((await sleeper?.exited)?.signal, 'SIGTERM', 'the process started in it was stopped')
  })
})
