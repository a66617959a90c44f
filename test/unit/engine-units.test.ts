import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { serializeRequest } from '../../src/load/http1/serialize-request.js'
import { buildPlan, defaultGenerators } from '../../src/plan/build-plan.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { parseCpuList } from '../../src/profile/schema.js'

const base = `name: e\napps: { x: { command: node, args: [--port, "{port}"] } }\nstacks: [{ name: a, app: x }]\n`

describe('engine units', () => {
  it('serialises a request once: Host first, headers as given, Content-Length for a body', () => {
    const get = serializeRequest(
      { method: 'GET', path: '/a?b=1', headers: { 'X-Id': '7' } },
      '127.0.0.1:8080',
    )
    assert.equal(get.toString('latin1'), 'GET /a?b=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Id: 7\r\n\r\n')
    const post = serializeRequest(
      { method: 'POST', path: '/j', headers: { host: 'example.test' }, body: '{"é":1}' },
      '127.0.0.1:8080',
    )
    // the body's length in bytes (é is two), and the spec's own Host instead of bench's
    assert.equal(
      post.toString('utf8'),
      'POST /j HTTP/1.1\r\nhost: example.test\r\nContent-Length: 8\r\n\r\n{"é":1}',
    )
  })

  it('reads CPU lists as taskset writes them', () => {
    assert.deepEqual(parseCpuList('0-2,5'), [0, 1, 2, 5])
    assert.deepEqual(parseCpuList(' 3 '), [3])
    assert.deepEqual(parseCpuList([2, 0, 2]), [0, 2])
    assert.deepEqual(parseCpuList(1), [1])
    for (const bad of ['1-x', '3-1', '', 'a', '0,,1']) assert.equal(parseCpuList(bad), undefined, bad)
  })

  it('gives the generator a thread per four cores, less what the stack’s processes need, at least one', () => {
    assert.deepEqual(
      [2, 4, 8, 16, 64].map((cpus) => defaultGenerators(cpus)),
      [1, 1, 2, 4, 16],
    )
    assert.equal(defaultGenerators(16, 14), 2)
    assert.equal(defaultGenerators(16, 64), 1)
    const parsed = parseProfile(
      `name: g\napps: { x: { command: node, args: [--port, "{port}", -w, "{workers}"] } }\nstacks:\n  - { name: small, app: x }\n  - { name: big, app: x, workers: 7, instances: 2, proxy: nginx }\nphases: [{ name: p, connections: 64, duration: 1s }]\n`,
    )
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues))
    const plan = buildPlan(parsed.profile, { cpuCount: 16 })
    const threads = Object.fromEntries(plan.runs.map((r) => [r.stack.name, r.steps[0]?.load.generators]))
    assert.deepEqual(threads, { small: 4, big: 1 })
  })

  it('runs bench by default, refuses autocannon for an open loop, and plans one thread per pinned CPU', () => {
    const closed = parseProfile(
      `${base}phases: [{ name: p, connections: 4, duration: 1s, engine: autocannon }]\n`,
    )
    assert.ok(closed.ok)
    const plan = buildPlan(closed.profile, { cpuCount: 16, generatorCpus: [0, 1, 2] })
    assert.equal(plan.runs[0]?.steps[0]?.load.engine, 'autocannon')
    assert.equal(plan.runs[0]?.steps[0]?.load.generators, 3)
    assert.equal(buildPlan(closed.profile, { cpuCount: 16 }).runs[0]?.steps[0]?.load.generators, 4)
    const open = parseProfile(`${base}phases: [{ name: p, rate: 10, duration: 1s, engine: autocannon }]\n`)
    assert.ok(!open.ok)
    assert.deepEqual(
      open.issues.map((i) => [i.message, i.hint]),
      [
        [
          'engine autocannon cannot run an open-loop phase',
          'use engine: bench (the default is bench), or connections: for a closed loop',
        ],
      ],
    )
    const byDefault = parseProfile(`${base}phases: [{ name: p, rate: 10, duration: 1s }]\n`)
    assert.ok(byDefault.ok)
    assert.equal(byDefault.profile.phases[0]?.engine, 'bench')
  })
})
