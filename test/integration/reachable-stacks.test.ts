import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createThreadedEngine } from '../../src/load/threaded-engine.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { freePort } from '../../src/stacks/free-port.js'
import { makeCertificate } from '../../src/stacks/make-certificate.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { type ManagedProcess, spawnProcess } from '../../src/stacks/spawn-process.js'
import { startStack } from '../../src/stacks/start-stack.js'
import {
  type CliResult,
  closedLoad,
  mainJs,
  readResults,
  repoRoot,
  runCli,
  tempDir,
  waitFor,
  writeProfile,
} from './harness.js'

/** This file's generator threads (unref'd: they never keep the process alive). */
const threadedEngine = createThreadedEngine()

interface Listener {
  /** Local address as ss prints it: 127.0.0.2:8080, [::1]:8080. */
  address: string
  port: number
  pids: number[]
  commands: string[]
}

/** Every listening TCP socket (`ss -ltnp`, run with `prefix`, e.g. ip netns exec NS), with who holds it. */
function listeners(prefix: string[] = []): Listener[] {
  const [command, ...args] = [...prefix, 'ss', '-ltnpH']
  const out = spawnSync(command as string, args, { encoding: 'utf8', timeout: 10_000 })
  assert.equal(out.status, 0, `${[command, ...args].join(' ')}: ${out.stderr}`)
  return out.stdout
    .split('\n')
    .filter((line) => line.startsWith('LISTEN'))
    .map((line) => {
      const address = line.split(/\s+/)[3] ?? ''
      return {
        address,
        port: Number(address.slice(address.lastIndexOf(':') + 1)),
        pids: [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])),
        commands: [...line.matchAll(/\("([^"]+)"/g)].map((m) => m[1] as string),
      }
    })
}

/** The reference Node app, told the profile's host. */
const nodeApp = `
apps:
  node:
    command: node
    args: [${join(repoRoot, 'apps/node/server.mjs')}, --port, "{port}", --host, "{host}"]
    ready: { path: /health }
`

describe('a launched stack listens on the profile host, and load goes there', () => {
  it('host: 127.0.0.2 (a loopback alias): nginx and the app listen only there, and load reaches it', async () => {
    const parsed = parseProfile(`name: alias
host: 127.0.0.2
${nodeApp}
stacks: [{ name: s, app: node, proxy: nginx }]
phases: [{ name: p, connections: 2, duration: 1s }]
`)
    assert.ok(parsed.ok, JSON.stringify(parsed))
    const stack = await startStack(parsed.profile.stacks[0] as never, parsed.profile, tempDir())
    try {
      assert.match(stack.baseUrl, /^http:\/\/127\.0\.0\.2:\d+$/)
      const pids = new Set(stack.processes.flatMap((p) => groupMembers(p.pid)))
      const own = listeners().filter((l) => l.pids.some((pid) => pids.has(pid)))
      // nginx's listener (the entry point) and the app's, each on 127.0.0.2 and nowhere else
      assert.deepEqual(
        [...new Set(own.flatMap((l) => l.commands))].sort(),
        ['nginx', 'node'],
        JSON.stringify(own),
      )
      assert.ok(
        own.every((l) => l.address.startsWith('127.0.0.2:')),
        JSON.stringify(own),
      )
      const entry = own.find((l) => l.commands.includes('nginx'))
      assert.equal(String(entry?.port), new URL(stack.baseUrl).port)
      const result = await threadedEngine.run(stack, closedLoad('/json', 2, 1), new AbortController().signal)
      assert.ok(result.successes > 20, `successes: ${result.successes}`)
      assert.equal(result.errors.connect, 0)
    } finally {
      await stack.stop()
    }
  })

  it('a host that is not an address of this machine: exit 3 before anything starts, naming it and the fix', async () => {
    const { file, dir } = writeProfile(`name: nowhere
host: 198.19.255.77
${nodeApp}
stacks: [{ name: s, app: node, proxy: nginx }]
phases: [{ name: p, connections: 2, duration: 1s }]
`)
    const result = await runCli(['run', file, '--out', join(dir, 'results.json')])
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /host 198\.19\.255\.77 is not an address of this machine \(EADDRNOTAVAIL\)/)
    assert.match(result.stderr, /fix: set host: to an address that `ip -brief address` lists/)
  })

  describe('host: 198.18.0.5 in a network namespace the test makes (no default route, removed on every path)', () => {
    const ns = `bench-rs-${process.pid}`
    const ip = (...args: string[]) => {
      const out = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 })
      return { status: out.status, output: `${out.stdout}${out.stderr}` }
    }
    let bench: ChildProcess | undefined
    const removeNamespace = () => {
      if (bench && bench.exitCode === null && bench.signalCode === null) bench.kill('SIGKILL')
      // whatever still runs in the namespace was started by this test: stop it by pid, then remove the namespace
      const left = ip('netns', 'pids', ns)
      for (const pid of left.status === 0 ? left.output.split(/\s+/).filter(Boolean) : []) {
        try {
          process.kill(Number(pid), 'SIGKILL')
        } catch {}
      }
      ip('netns', 'delete', ns)
    }
    before(() => {
      removeNamespace() // a namespace of this name left by an earlier, killed run of this pid
      for (const step of [
        ['netns', 'add', ns],
        ['-n', ns, 'link', 'set', 'lo', 'up'],
        ['-n', ns, 'address', 'add', '198.18.0.5/32', 'dev', 'lo'],
      ]) {
        const done = ip(...step)
        assert.equal(done.status, 0, `ip ${step.join(' ')}: ${done.output}`)
      }
    })
    after(removeNamespace)

    it('bench run inside it: nginx and the app listen on 198.18.0.5 only, and the load is counted', async () => {
      assert.equal(
        ip('-n', ns, 'route', 'show', 'default').output.trim(),
        '',
        'the namespace has no default route',
      )
      const { file, dir } = writeProfile(`name: netns
host: 198.18.0.5
${nodeApp}
stacks: [{ name: s, app: node, proxy: nginx }]
phases: [{ name: p, connections: 4, duration: 3s, requests: [{ path: /json }] }]
`)
      chmodSync(dir, 0o755)
      const out = join(dir, 'results.json')
      const running = new Promise<CliResult>((resolve) => {
        const child = spawn(
          'ip',
          ['netns', 'exec', ns, process.execPath, mainJs, 'run', file, '--out', out],
          {
            cwd: repoRoot,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        bench = child
        let stdout = ''
        let stderr = ''
        child.stdout?.on('data', (d) => {
          stdout += d
        })
        child.stderr?.on('data', (d) => {
          stderr += d
        })
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
      })
      // while the phase runs: the namespace's listeners are the stack's, all on 198.18.0.5
      const seen = await waitFor(
        'nginx and the app to listen in the namespace',
        () => {
          const all = listeners(['ip', 'netns', 'exec', ns])
          const commands = new Set(all.flatMap((l) => l.commands))
          return commands.has('nginx') && commands.has('node') ? all : undefined
        },
        30_000,
        50,
      )
      assert.ok(
        seen.every((l) => l.address.startsWith('198.18.0.5:')),
        JSON.stringify(seen),
      )
      const result = await running
      assert.equal(result.code, 0, result.stderr)
      const cell = readResults(out).cells[0]
      assert.ok((cell?.stats?.successes ?? 0) > 100, `successes: ${cell?.stats?.successes}`)
      assert.equal(cell?.stats?.errorPercent, 0)
    })
  })
})

describe('a url stack is verified in the protocol its phases speak', () => {
  let nginx: ManagedProcess | undefined
  let h2cPort = 0
  let h1Port = 0
  let h2Port = 0
  let tlsH1Port = 0
  let cert = ''
  before(async () => {
    const dir = tempDir()
    chmodSync(dir, 0o755) // nginx workers drop to an unprivileged user
    h2cPort = await freePort('127.0.0.1')
    h1Port = await freePort('127.0.0.1')
    h2Port = await freePort('127.0.0.1')
    tlsH1Port = await freePort('127.0.0.1')
    const tls = await makeCertificate(dir, '127.0.0.1')
    cert = tls.cert
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  # h2c with prior knowledge only (nginx 1.22: listen … http2 without ssl), as many in-cluster services are
  server {
    listen 127.0.0.1:${h2cPort} http2;
    location / { return 200 "h2c\\n"; }
    location = /json { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
  # HTTP/1.1 only
  server { listen 127.0.0.1:${h1Port}; location / { return 200 "h1\\n"; } }
  # TLS: h2 by ALPN, and HTTP/1.1 only
  ssl_certificate ${tls.cert}; ssl_certificate_key ${tls.key};
  server { listen 127.0.0.1:${h2Port} ssl http2; location / { return 200 "h2\\n"; } }
  server { listen 127.0.0.1:${tlsH1Port} ssl; location / { return 200 "tls h1\\n"; } }
}
`,
    )
    nginx = await spawnProcess({
      name: 'nginx (url stacks)',
      command: 'nginx',
      args: ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf')],
      cwd: dir,
      env: {},
    })
    await waitFor('nginx to listen on both ports', () => {
      const ports = new Set(listeners().map((l) => l.port))
      return [h2cPort, h1Port, h2Port, tlsH1Port].every((port) => ports.has(port))
    })
  })
  after(async () => {
    await nginx?.stop(3000)
  })

  const profile = (port: number, protocol: string) =>
    writeProfile(`name: url
stacks: [{ name: n, url: "http://127.0.0.1:${port}/" }]
phases: [{ name: p, connections: 4, duration: 1s, protocol: ${protocol}${protocol === 'h2c' ? ', streams: 4' : ''} }]
`)

  it('an h2c-only nginx under protocol: h2c: the run succeeds and its requests are counted', async () => {
    const { file, dir } = profile(h2cPort, 'h2c')
    const out = join(dir, 'results.json')
    const result = await runCli(['run', file, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    const cell = readResults(out).cells[0]
    assert.ok((cell?.stats?.successes ?? 0) > 100, `successes: ${cell?.stats?.successes}`)
    assert.equal(cell?.stats?.errorPercent, 0)
  })

  it('verify: json on the h2c-only server is checked over h2c: a JSON answer passes, a text one is named', async () => {
    const yaml = (path: string) => `name: url
stacks: [{ name: n, url: "http://127.0.0.1:${h2cPort}/" }]
phases: [{ name: p, connections: 2, duration: 1s, protocol: h2c, requests: [{ path: ${path}, verify: json }] }]
`
    const good = writeProfile(yaml('/json'))
    const passed = await runCli(['run', good.file, '--out', join(good.dir, 'results.json')])
    assert.equal(passed.code, 0, passed.stderr)
    const bad = writeProfile(yaml('/text'))
    const failed = await runCli(['run', bad.file, '--out', join(bad.dir, 'results.json')])
    assert.equal(failed.code, 4, failed.stderr)
    assert.match(
      failed.stderr,
      /stack "n": \/text answered Content-Type "text\/plain", expected "application\/json"/,
    )
  })

  it('an HTTP/1.1-only server under protocol: h2c: "answers HTTP/1.1 only, but phase "p" speaks h2c", with the fix', async () => {
    const { file, dir } = profile(h1Port, 'h2c')
    const result = await runCli(['run', file, '--out', join(dir, 'results.json')])
    assert.equal(result.code, 4, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `http://127\\.0\\.0\\.1:${h1Port}/ \\(stack "n"\\) answers HTTP/1\\.1 only, but phase "p" speaks h2c`,
      ),
    )
    assert.match(result.stderr, /fix: turn on HTTP\/2 in clear text with prior knowledge/)
    assert.doesNotMatch(result.stderr, /nothing answers|HPE_/)
  })

  it('the h2c-only nginx under protocol: http1: "answers … (h2c) only, but phase "p" speaks http1"', async () => {
    const { file, dir } = profile(h2cPort, 'http1')
    const result = await runCli(['run', file, '--out', join(dir, 'results.json')])
    assert.equal(result.code, 4, result.stderr)
    assert.match(
      result.stderr,
      /answers HTTP\/2 in clear text with prior knowledge \(h2c\) only, but phase "p" speaks http1/,
    )
    assert.match(result.stderr, /fix: give that phase protocol: h2c/)
  })

  it('protocol: h2 checks TLS with ALPN h2 and the certificate, as the engine connects', async () => {
    const h2Profile = (port: number) =>
      writeProfile(`name: url
stacks: [{ name: n, url: "https://127.0.0.1:${port}/" }]
phases: [{ name: p, connections: 2, duration: 1s, protocol: h2 }]
`)
    const trusted = { NODE_EXTRA_CA_CERTS: cert }
    const h2 = h2Profile(h2Port)
    const out = join(h2.dir, 'results.json')
    const ok = await runCli(['run', h2.file, '--out', out], undefined, trusted)
    assert.equal(ok.code, 0, ok.stderr)
    assert.ok((readResults(out).cells[0]?.stats?.successes ?? 0) > 20)
    const h1 = h2Profile(tlsH1Port)
    const noH2 = await runCli(['run', h1.file, '--out', join(h1.dir, 'results.json')], undefined, trusted)
    assert.equal(noH2.code, 4, noH2.stderr)
    assert.match(
      noH2.stderr,
      /answers HTTP\/1\.1 only: its TLS handshake does not offer h2 by ALPN, but phase "p" speaks h2\n\s+fix: turn on HTTP\/2 on its TLS listener/,
    )
    const untrusted = await runCli(['run', h2.file, '--out', join(h2.dir, 'untrusted.json')])
    assert.equal(untrusted.code, 4, untrusted.stderr)
    assert.match(untrusted.stderr, /its TLS certificate is not trusted here \([A-Z_]+\)/)
  })

  it('nothing there: "nothing answers", in the protocol asked', async () => {
    const nobody = await freePort('127.0.0.1')
    const { file, dir } = profile(nobody, 'h2c')
    const result = await runCli(['run', file, '--out', join(dir, 'results.json')])
    assert.equal(result.code, 4, result.stderr)
    assert.match(
      result.stderr,
      /nothing answers at http:\/\/127\.0\.0\.1:\d+\/ \(stack "n"\) in HTTP\/2 in clear text/,
    )
    assert.match(result.stderr, /fix: start the server first/)
  })
})
