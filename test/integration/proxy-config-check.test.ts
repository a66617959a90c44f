import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import type { ProxyConfigInput } from '../../src/kinds/host-port.js'
import { renderApacheConfig } from '../../src/kinds/render-apache-config.js'
import { renderHaproxyConfig } from '../../src/kinds/render-haproxy-config.js'
import { renderNginxConfig } from '../../src/kinds/render-nginx-config.js'
import { renderPhpFpmConfig } from '../../src/kinds/render-php-fpm-config.js'
import { findExecutable } from '../../src/stacks/find-executable.js'
import { freePort } from '../../src/stacks/free-port.js'

// Moved from test/unit/proxy-config.test.ts: these run the real nginx, haproxy, php-fpm, apache2 and openssl
// programs, and a test that spawns processes lives under integration/.
const token = 'c0ffee1234abcd99'

// ---------------------------------------------------------------------------------------------------------------
// The real binaries check the rendered configs. Not skipped when missing: a missing proxy means the machine was
// not set up, and a skipped check would hide a config the proxy rejects.
// ---------------------------------------------------------------------------------------------------------------

const scratch: string[] = []
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

function requireBinary(name: 'nginx' | 'haproxy' | 'apache2' | 'php-fpm8.2'): string {
  const path = findExecutable(name, process.cwd())
  if (!path) {
    assert.fail(
      `${name} is not installed (looked on PATH and in /usr/local/sbin, /usr/sbin, /sbin). ` +
        `Run the setup first, e.g. apt-get install -y ${name}; CI installs it.`,
    )
  }
  return path
}

async function renderedInto(
  kind: 'nginx' | 'haproxy' | 'apache2' | 'php-fpm8.2',
  host: string,
  text?: (input: ProxyConfigInput) => string,
) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-test-`))
  scratch.push(dir)
  // nginx -t binds the listen address, so the port must be free
  const [listenPort, a, b] = [await freePort(host), await freePort(host), await freePort(host)]
  const config: ProxyConfigInput = { dir, host, listenPort, upstreamPorts: [a, b], token }
  const file = join(dir, `${kind}.conf`)
  const render =
    text ??
    {
      nginx: renderNginxConfig,
      haproxy: renderHaproxyConfig,
      apache2: renderApacheConfig,
      'php-fpm8.2': (i: ProxyConfigInput) => renderPhpFpmConfig({ ...i, workers: 2, suffix: '' }),
    }[kind]
  writeFileSync(file, render(config))
  return { dir, file }
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 })
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
  }
}

describe('nginx accepts the rendered config (nginx -t)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`on ${host}`, async () => {
      const nginx = requireBinary('nginx')
      const { dir, file } = await renderedInto('nginx', host)
      const { status, output } = run(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr'])
      assert.equal(status, 0, output)
      assert.match(output, /test is successful/)
    })
  }

  it('and the check itself catches a broken config', async () => {
    const nginx = requireBinary('nginx')
    const broken = (i: ProxyConfigInput) => renderNginxConfig(i).replace('daemon off;', 'daemon off')
    const { dir, file } = await renderedInto('nginx', '127.0.0.1', broken)
    assert.notEqual(run(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr']).status, 0)
  })
})

describe('nginx accepts the FastCGI config, with its cache (nginx -t)', () => {
  it('on 127.0.0.1', async () => {
    const nginx = requireBinary('nginx')
    const fastcgi = (i: ProxyConfigInput) =>
      renderNginxConfig({
        ...i,
        fastcgi: { script: '/srv/index.php' },
        cache: { path: '/json', ttlSeconds: 5 },
      })
    const { dir, file } = await renderedInto('nginx', '127.0.0.1', fastcgi)
    const { status, output } = run(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr'])
    assert.equal(status, 0, output)
    assert.match(output, /test is successful/)
  })
})

describe('nginx accepts the uwsgi config, with its cache (nginx -t)', () => {
  it('on 127.0.0.1', async () => {
    const nginx = requireBinary('nginx')
    const uwsgi = (i: ProxyConfigInput) =>
      renderNginxConfig({ ...i, uwsgi: true, cache: { path: '/json', ttlSeconds: 5 } })
    const { dir, file } = await renderedInto('nginx', '127.0.0.1', uwsgi)
    const { status, output } = run(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr'])
    assert.equal(status, 0, output)
  })
})

describe('php-fpm accepts the rendered config (php-fpm -t)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`on ${host}`, async () => {
      const fpm = requireBinary('php-fpm8.2')
      const { file } = await renderedInto('php-fpm8.2', host)
      const { status, output } = run(fpm, ['-t', '-R', '-y', file])
      assert.equal(status, 0, output)
    })
  }

  it('and the check itself catches a broken config', async () => {
    const fpm = requireBinary('php-fpm8.2')
    const broken = (i: ProxyConfigInput) =>
      renderPhpFpmConfig({ ...i, workers: 2, suffix: '' }).replace('pm = static', 'pm = sideways')
    const { file } = await renderedInto('php-fpm8.2', '127.0.0.1', broken)
    assert.notEqual(run(fpm, ['-t', '-R', '-y', file]).status, 0)
  })
})

describe('haproxy accepts the rendered config (haproxy -c)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`on ${host}, without warnings`, async () => {
      const haproxy = requireBinary('haproxy')
      const { file } = await renderedInto('haproxy', host)
      const { status, output } = run(haproxy, ['-c', '-f', file])
      assert.equal(status, 0, output)
      assert.doesNotMatch(output, /WARNING|ALERT/, output)
    })
  }

  it('and the check itself catches a broken config', async () => {
    const haproxy = requireBinary('haproxy')
    const broken = (i: ProxyConfigInput) =>
      renderHaproxyConfig(i).replace('balance roundrobin', 'balance sideways')
    const { file } = await renderedInto('haproxy', '127.0.0.1', broken)
    assert.notEqual(run(haproxy, ['-c', '-f', file]).status, 0)
  })
})

describe('apache accepts the rendered config (apache2 -t)', () => {
  const withEverything = (i: ProxyConfigInput) =>
    renderApacheConfig({
      ...i,
      static: { path: '/static/', dir: i.dir },
      tls: { cert: `${i.dir}/c.pem`, key: `${i.dir}/k.pem` },
    })
  for (const host of ['127.0.0.1', '::1']) {
    it(`on ${host}, without warnings`, async () => {
      const apache = requireBinary('apache2')
      const { file } = await renderedInto('apache2', host)
      const { status, output } = run(apache, ['-t', '-f', file])
      assert.equal(status, 0, output)
      assert.equal(output.trim(), 'Syntax OK')
    })
  }

  it('with static files and TLS (a real certificate made by openssl)', async () => {
    const apache = requireBinary('apache2')
    const { dir, file } = await renderedInto('apache2', '127.0.0.1', withEverything)
    const cert = run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      `${dir}/k.pem`,
      '-out',
      `${dir}/c.pem`,
    ])
    assert.equal(cert.status, 0, cert.output)
    const { status, output } = run(apache, ['-t', '-f', file])
    assert.equal(status, 0, output)
    assert.equal(output.trim(), 'Syntax OK')
  })

  it('and the check itself catches a broken config', async () => {
    const apache = requireBinary('apache2')
    const broken = (i: ProxyConfigInput) =>
      renderApacheConfig(i).replace('lbmethod=byrequests', 'lbmethod=sideways')
    const { file } = await renderedInto('apache2', '127.0.0.1', broken)
    assert.notEqual(run(apache, ['-t', '-f', file]).status, 0)
  })
})
