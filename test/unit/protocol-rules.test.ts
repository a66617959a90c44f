import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseProfile } from '../../src/profile/parse-profile.js'

function messages(phase: string, stacks = defaultStacks): string[] {
  const parsed = parseProfile(`name: p
apps:
  node: { command: node, args: [server.mjs, "{port}"] }
stacks:
${stacks}
phases:
  - ${phase}
`)
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path.join('.')}: ${i.message} — ${i.hint}`)
}
const defaultStacks = `  - { name: direct, app: node }
  - { name: nginx-tls, app: node, proxy: nginx, tls: true }
  - { name: nginx, app: node, proxy: nginx }
  - { name: haproxy, app: node, proxy: haproxy }`

describe('a phase protocol the stacks cannot speak is refused before anything starts', () => {
  it('h2c to the app direct names the stacks that can and the proxies that would', () => {
    assert.deepEqual(messages('{ name: a, connections: 4, duration: 1s, protocol: h2c }'), [
      'phases.0.protocol: protocol h2c: stack "direct" cannot speak it ("nginx-tls", "nginx", "haproxy" can) — its entry point must be nginx, haproxy or apache, or set protocol: http1',
    ])
  })

  it('h2 needs TLS at nginx, haproxy or Apache: the plain stacks are named', () => {
    assert.deepEqual(messages('{ name: a, connections: 4, duration: 1s, protocol: h2, streams: 10 }'), [
      'phases.0.protocol: protocol h2: stacks "direct", "nginx", "haproxy" cannot speak it ("nginx-tls" can) — its entry point must be nginx, haproxy or apache, with tls: true (h2 is negotiated over TLS by ALPN), or set protocol: http1',
    ])
  })

  it('a url stack speaks what its scheme says', () => {
    const stacks = '  - { name: u, url: "http://127.0.0.1:8080" }'
    assert.deepEqual(messages('{ name: a, rate: 100, duration: 1s, protocol: h2c }', stacks), [])
    assert.equal(messages('{ name: a, rate: 100, duration: 1s, protocol: h2 }', stacks).length, 1)
  })

  it('streams on HTTP/1.1, pipelining or autocannon on HTTP/2 are each refused with the fix', () => {
    const stacks = '  - { name: nginx, app: node, proxy: nginx }'
    assert.deepEqual(messages('{ name: a, connections: 4, duration: 1s, streams: 8 }', stacks), [
      'phases.0.streams: streams are HTTP/2 streams, and the phase speaks HTTP/1.1 — set protocol: h2 or h2c, or use pipelining: for HTTP/1.1',
    ])
    assert.deepEqual(
      messages(
        '{ name: a, connections: 4, duration: 1s, protocol: h2c, pipelining: 4, engine: autocannon }',
        stacks,
      ),
      [
        'phases.0.engine: engine autocannon speaks HTTP/1.1 only, and the phase sets protocol: h2c — remove engine (bench speaks HTTP/2), or set protocol: http1',
        'phases.0.pipelining: pipelining is HTTP/1.1’s; HTTP/2 sends requests side by side on streams — remove pipelining and set streams: N',
      ],
    )
  })

  it('a WebSocket phase on a stack whose entry cannot upgrade names the stacks and kinds that can', () => {
    const stacks = `  - { name: nginx, app: node, proxy: nginx }
  - { name: apache, app: node, proxy: apache }`
    assert.deepEqual(messages('{ name: a, connections: 10, duration: 1s, protocol: websocket }', stacks), [
      'phases.0.protocol: protocol websocket: stack "apache" cannot speak it ("nginx" can) — its entry point must be app, nginx or haproxy, or set protocol: http1',
    ])
  })

  it('websocket: on another protocol, and a rate, streams or churn on a WebSocket phase, are refused with the fix', () => {
    const stacks = '  - { name: direct, app: node }'
    assert.deepEqual(
      messages('{ name: a, connections: 4, duration: 1s, websocket: { messages: 2 } }', stacks),
      [
        'phases.0.websocket: websocket: applies to protocol: websocket phases, and this one speaks http1 — set protocol: websocket, or remove websocket:',
      ],
    )
    assert.deepEqual(messages('{ name: a, rate: 100, duration: 1s, protocol: websocket }', stacks), [
      'phases.0.rate: a WebSocket phase opens connections: N and holds them; it has no request rate — set connections: N, and websocket: { messages: M } for M messages per second on each',
    ])
    assert.deepEqual(
      messages(
        '{ name: a, connections: 4, duration: 1s, protocol: websocket, streams: 4, churn: 10 }',
        stacks,
      ),
      [
        'phases.0.streams: streams are HTTP/2’s, and the phase speaks WebSocket — remove streams',
        'phases.0.churn: a WebSocket connection is held, not churned, and the phase speaks WebSocket — remove churn',
      ],
    )
    assert.deepEqual(
      messages(
        '{ name: a, connections: 4, duration: 1s, protocol: websocket, websocket: { messages: idle } }',
        stacks,
      ),
      [],
    )
  })
})
