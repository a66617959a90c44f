import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { fillPlaceholders } from '../../src/kinds/fill-placeholders.js'
import type { LaunchInput, ProxyFeature, ServerKind } from '../../src/kinds/server-kind.js'
import { serverKinds } from '../../src/kinds/server-kinds.js'
import { listWords } from '../../src/profile/list-words.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { kindsWith, proxyKinds } from '../../src/profile/schema.js'

const features: ProxyFeature[] = ['static', 'cache', 'tls']

function input(overrides: Partial<LaunchInput> = {}): LaunchInput {
  return {
    stackName: 's',
    index: 0,
    instances: 1,
    workers: undefined,
    pool: 10,
    app: {
      name: 'web',
      command: 'node',
      args: ['server.mjs', '--port', '{port}', '--bind', '{host}:{port}', '{other}'],
      workerArgs: ['-w', '{workers}'],
      socketArgs: ['--socket', '{socket}'],
      cwd: '/srv/web',
      env: { PORT: '{port}', MODE: 'x' },
    },
    dir: '/tmp/bench-kind-test',
    host: '127.0.0.1',
    listenPort: 18080,
    upstreamPorts: [18081, 18082],
    token: 'c0ffee1234abcd99',
    ...overrides,
  }
}

describe('the server kinds registry', () => {
  it("proxy: accepts exactly the registry's proxy kinds", () => {
    const proxies = Object.values(serverKinds).filter((k) => k.tier.cpus === 'proxy')
    assert.deepEqual(
      proxyKinds,
      proxies.map((k) => k.name),
    )
    assert.ok(proxyKinds.length >= 2)
    for (const [key, kind] of Object.entries(serverKinds))
      assert.equal(kind.name, key, 'registered by its name')
  })

  for (const feature of features) {
    it(`${feature}: refused for every kind that lacks it, naming the kinds that have it`, () => {
      const able = kindsWith(feature)
      assert.ok(able.length > 0)
      const value = { static: '{ dir: www }', cache: '{ path: /json }', tls: 'true' }[feature]
      for (const proxy of [undefined, ...proxyKinds]) {
        const text = `name: x\napps:\n  a: { command: node, args: ["{port}"] }\nstacks:\n  - { name: s, app: a, ${proxy ? `proxy: ${proxy}, ` : ''}${feature}: ${value} }\nphases: [{ name: p, connections: 1, duration: 1s }]\n`
        const result = parseProfile(text)
        const supported =
          proxy !== undefined && (serverKinds[proxy].features as readonly string[]).includes(feature)
        if (supported) {
          assert.ok(result.ok, `${proxy} declares ${feature}: ${JSON.stringify(result.ok || result.issues)}`)
          continue
        }
        assert.equal(result.ok, false, `${proxy ?? 'no proxy'} lacks ${feature}`)
        const issue = result.ok ? undefined : result.issues[0]
        assert.equal(
          issue?.message,
          `${feature} is a feature of ${listWords(able, 'and')}, and stack "s" has ${proxy ?? 'no proxy'}`,
        )
        assert.equal(issue?.hint, `add proxy: ${listWords(able, 'or')}, or remove ${feature}`)
      }
    })
  }

  it("an unknown placeholder's hint lists the app kind's placeholders", () => {
    const text =
      'name: x\napps:\n  a: { command: node, args: ["{port}", "{nope}"] }\nstacks: [{ name: s, app: a }]\nphases: [{ name: p, connections: 1, duration: 1s }]\n'
    const result = parseProfile(text)
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.equal(result.issues[0]?.message, 'unknown placeholder {nope}')
    assert.equal(result.issues[0]?.hint, 'use {port}, {host}, {workers}, {socket} or {pool}')
    assert.deepEqual(serverKinds.app.placeholders, ['port', 'host', 'workers', 'socket', 'pool'])
  })
})

describe('uwsgi launch', () => {
  it('runs the module with master + {workers} processes on its uwsgi socket, exiting on SIGTERM', () => {
    const plan = serverKinds.uwsgi.launch(input({ workers: 3, app: { ...input().app, module: 'app:app' } }))
    const value = (flag: string) => plan.args[plan.args.indexOf(flag) + 1]
    assert.equal(plan.command, 'uwsgi')
    assert.equal(value('--processes'), '3')
    assert.equal(value('--uwsgi-socket'), '127.0.0.1:18080')
    assert.equal(value('--module'), 'app:app')
    assert.equal(value('--plugin'), 'python3')
    for (const flag of ['--master', '--die-on-term', '--need-app']) assert.ok(plan.args.includes(flag), flag)
    assert.equal(serverKinds.uwsgi.groupSize(input({ workers: 3 })), 4)
    assert.equal(serverKinds.uwsgi.groupSize(input()), 2, 'one process without workers')
  })
})

describe('fillPlaceholders', () => {
  it('replaces the given names, leaves other braces alone', () => {
    assert.equal(fillPlaceholders('{host}:{port}/{x}{}', { host: '::1', port: '80' }), '::1:80/{x}{}')
  })
})

describe('launch plans', () => {
  it('app: placeholders in args and env; workerArgs only with workers, and master + N processes', () => {
    const plain = serverKinds.app.launch(input())
    assert.equal(plain.name, 'app "web"')
    assert.deepEqual(plain.args, ['server.mjs', '--port', '18080', '--bind', '127.0.0.1:18080', '{other}'])
    assert.deepEqual(plain.env, { PORT: '18080', MODE: 'x' })
    assert.equal(plain.cwd, '/srv/web')
    assert.equal(serverKinds.app.groupSize(input()), undefined)
    const workers = serverKinds.app.launch(input({ workers: 3, index: 1, instances: 2 }))
    assert.equal(workers.name, 'app "web" #2')
    assert.deepEqual(workers.args.slice(-2), ['-w', '3'])
    assert.equal(serverKinds.app.groupSize(input({ workers: 3 })), 4)
  })

  for (const kind of Object.values(serverKinds).filter((k) => k.tier.cpus === 'proxy')) {
    it(`${kind.name}: one config file in its folder, which its command line names, and the token stamped`, () => {
      assert.equal(kind.usesTempDir, true)
      assert.equal(kind.stampsToken, true)
      const plan = kind.launch(input())
      const files = Object.keys(plan.files)
      assert.equal(files.length, 1)
      assert.ok(plan.args.includes(join('/tmp/bench-kind-test', files[0] as string)), plan.args.join(' '))
      assert.equal(plan.cwd, '/tmp/bench-kind-test')
      assert.match(Object.values(plan.files)[0] as string, /c0ffee1234abcd99/)
      assert.match(Object.values(plan.files)[0] as string, /127\.0\.0\.1:18082/, 'every upstream listed')
      assert.notEqual(kind.binary, 'app-command')
    })
  }
})

// src/profile/ is pure: neither it nor anything it imports (the server kinds included) may reach I/O.
describe('src/profile/ imports no I/O', () => {
  const distSrc = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
  const allowed = new Set(['node:path'])
  it('walks every import of every module of src/profile/ (transitively) and finds no I/O built-in', () => {
    const seen = new Set<string>()
    const builtins: string[] = []
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      for (const [, spec] of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
        const name = spec as string
        if (name.startsWith('.')) visit(resolve(dirname(file), name))
        else if (name.startsWith('node:') || builtinModules.includes(name)) builtins.push(`${name} (${file})`)
      }
    }
    const profileDir = join(distSrc, 'profile')
    for (const f of readdirSync(profileDir).filter((f) => f.endsWith('.js'))) visit(join(profileDir, f))
    assert.ok(
      [...seen].some((f) => f.endsWith('server-kinds.js')),
      'the walk reaches the registry',
    )
    assert.deepEqual(
      builtins.filter((b) => !allowed.has(b.split(' ')[0] as string)),
      [],
    )
  })
})

// Compile-time: a kind must say how its readiness is probed and how its version is read. Each line below fails to
// compile if the interface ever makes that optional (an unused @ts-expect-error is itself an error).
const { readiness: _readiness, ...withoutReadiness } = serverKinds.nginx
const { binary: _binary, ...withoutBinary } = serverKinds.nginx
const { versionArgs: _versionArgs, ...binaryWithoutVersion } = serverKinds.nginx.binary
// @ts-expect-error a kind without a readiness probe
export const noReadiness: ServerKind = withoutReadiness
// @ts-expect-error a kind without a binary (and so without a version reader)
export const noBinary: ServerKind = withoutBinary
// @ts-expect-error a binary without a version reader
export const noVersion: ServerKind = { ...serverKinds.nginx, binary: binaryWithoutVersion }
