import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ProxyConfigInput } from '../../src/kinds/host-port.js'
import { renderApacheConfig } from '../../src/kinds/render-apache-config.js'
import { renderHaproxyConfig } from '../../src/kinds/render-haproxy-config.js'
import { renderNginxConfig } from '../../src/kinds/render-nginx-config.js'
import { renderPhpFpmConfig } from '../../src/kinds/render-php-fpm-config.js'

const token = 'c0ffee1234abcd99'

function input(host: string, overrides: Partial<ProxyConfigInput> = {}): ProxyConfigInput {
  return {
    dir: '/tmp/bench-proxy-test',
    host,
    listenPort: 18080,
    upstreamPorts: [18081, 18082, 18083],
    token,
    ...overrides,
  }
}

/** The config's lines, trimmed, without blank lines and comments. */
function directives(config: string): string[] {
  return config
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** The text between `open` (a line like "upstream app {") and its matching closing brace. */
function nginxBlock(config: string, open: string): string[] {
  const lines = directives(config)
  const start = lines.indexOf(open)
  assert.ok(start >= 0, `no "${open}" block in:\n${config}`)
  let depth = 0
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.endsWith('{')) depth++
    if (line === '}') depth--
    if (depth === 0) return lines.slice(start + 1, i)
  }
  return assert.fail(`unclosed "${open}" block`)
}

/** haproxy sections run from a keyword at column 0 to the next one. */
function haproxySection(config: string, header: string): string[] {
  const lines = config.split('\n')
  const start = lines.indexOf(header)
  assert.ok(start >= 0, `no "${header}" section in:\n${config}`)
  const end = lines.findIndex((line, i) => i > start && /^\S/.test(line))
  return directives(lines.slice(start + 1, end < 0 ? undefined : end).join('\n'))
}

describe('renderNginxConfig', () => {
  const config = renderNginxConfig(input('127.0.0.1'))

  it('runs in the foreground so bench supervises the master process', () => {
    assert.ok(directives(config).includes('daemon off;'))
  })

  it('lists every upstream port as a server, with upstream keep-alive', () => {
    const upstream = nginxBlock(config, 'upstream app {')
    assert.deepEqual(
      upstream.filter((l) => l.startsWith('server ')),
      ['server 127.0.0.1:18081;', 'server 127.0.0.1:18082;', 'server 127.0.0.1:18083;'],
    )
    const keepalive = upstream.map((l) => /^keepalive (\d+);$/.exec(l)).find(Boolean)
    assert.ok(keepalive && Number(keepalive[1]) > 0, 'upstream needs "keepalive N;" with N > 0')
  })

  it('proxies with HTTP/1.1, Connection empty for requests (upstream keep-alive) and "upgrade" for WebSockets', () => {
    const location = nginxBlock(config, 'location / {')
    assert.ok(location.includes('proxy_pass http://app;'))
    assert.ok(location.includes('proxy_http_version 1.1;'))
    assert.ok(location.includes('proxy_set_header Upgrade $http_upgrade;'))
    assert.ok(location.includes('proxy_set_header Connection $connection_upgrade;'))
    const map = nginxBlock(config, 'map $http_upgrade $connection_upgrade {')
    assert.deepEqual(map, ['default upgrade;', "'' '';"])
  })

  it("keeps an idle upgraded connection for an hour, not nginx's 60 s", () => {
    const location = nginxBlock(config, 'location / {')
    assert.ok(location.includes('proxy_read_timeout 1h;'))
    assert.ok(location.includes('proxy_send_timeout 1h;'))
  })

  it('listens on the given host:port and stamps every response with the token', () => {
    const server = nginxBlock(config, 'server {')
    assert.ok(
      server.some((l) => /^listen 127\.0\.0\.1:18080[ ;]/.test(l)),
      server.join('\n'),
    )
    assert.ok(server.includes(`add_header X-Bench-Stack ${token} always;`))
  })

  it('writes its pid and temp files only under dir', () => {
    const dir = '/var/tmp/bench-nginx-xyz'
    const paths = directives(renderNginxConfig(input('127.0.0.1', { dir })))
      .filter((l) => /^(pid|\w+_temp_path) /.test(l))
      .map((l) => l.split(/\s+/)[1] as string)
    assert.equal(paths.length, 6, 'pid + 5 temp paths')
    for (const path of paths) assert.ok(path.startsWith(`${dir}/`), path)
  })

  it('puts IPv6 addresses in brackets, for the listener and the upstreams', () => {
    const v6 = renderNginxConfig(input('::1'))
    assert.ok(nginxBlock(v6, 'server {').some((l) => /^listen \[::1\]:18080[ ;]/.test(l)))
    assert.ok(nginxBlock(v6, 'upstream app {').includes('server [::1]:18081;'))
    assert.doesNotMatch(v6, /[^[]::1\]?:\d/)
  })
})

describe('renderNginxConfig in front of FastCGI (php-fpm)', () => {
  const script = '/srv/php/index.php'
  const config = renderNginxConfig(input('127.0.0.1', { fastcgi: { script } }))

  it('passes / over FastCGI to the upstream, a connection per request, with the script and the CGI parameters', () => {
    const location = nginxBlock(config, 'location / {')
    assert.ok(location.includes('fastcgi_pass app;'))
    assert.ok(
      location.includes('fastcgi_keep_conn off;'),
      "kept connections stall requests in php-fpm's backlog",
    )
    assert.ok(location.includes(`fastcgi_param SCRIPT_FILENAME ${script};`))
    for (const name of ['REQUEST_METHOD', 'QUERY_STRING', 'REQUEST_URI', 'CONTENT_LENGTH'])
      assert.ok(
        location.some((l) => l.startsWith(`fastcgi_param ${name} `)),
        name,
      )
    assert.ok(!location.some((l) => l.startsWith('proxy_')), location.join('\n'))
    assert.ok(nginxBlock(config, 'upstream app {').some((l) => /^keepalive \d+;$/.test(l)))
  })

  it('caches with fastcgi_cache (and its key) instead of proxy_cache', () => {
    const cached = renderNginxConfig(
      input('127.0.0.1', { fastcgi: { script }, cache: { path: '/json', ttlSeconds: 5 } }),
    )
    const location = nginxBlock(cached, 'location = /json {')
    assert.ok(location.includes('fastcgi_cache bench;'))
    assert.ok(location.some((l) => l.startsWith('fastcgi_cache_key ')))
    assert.ok(directives(cached).some((l) => l.startsWith('fastcgi_cache_path ')))
    assert.ok(!directives(cached).some((l) => l.startsWith('proxy_cache')))
  })
})

describe('renderNginxConfig in front of uWSGI', () => {
  const config = renderNginxConfig(input('127.0.0.1', { uwsgi: true }))
  it('passes / with uwsgi_pass and the uwsgi parameters, nothing of HTTP proxying', () => {
    const location = nginxBlock(config, 'location / {')
    assert.ok(location.includes('uwsgi_pass app;'))
    for (const name of ['REQUEST_METHOD', 'QUERY_STRING', 'REQUEST_URI', 'PATH_INFO'])
      assert.ok(
        location.some((l) => l.startsWith(`uwsgi_param ${name} `)),
        name,
      )
    assert.ok(!location.some((l) => l.startsWith('proxy_') || l.startsWith('fastcgi_')), location.join('\n'))
  })
  it('caches with uwsgi_cache and its key', () => {
    const cached = renderNginxConfig(
      input('127.0.0.1', { uwsgi: true, cache: { path: '/json', ttlSeconds: 5 } }),
    )
    const location = nginxBlock(cached, 'location = /json {')
    assert.ok(location.includes('uwsgi_cache bench;'))
    assert.ok(location.some((l) => l.startsWith('uwsgi_cache_key ')))
    assert.ok(directives(cached).some((l) => l.startsWith('uwsgi_cache_path ')))
  })
})

describe('renderPhpFpmConfig', () => {
  const config = renderPhpFpmConfig({
    dir: '/var/tmp/bench-php-fpm-x',
    host: '127.0.0.1',
    listenPort: 18090,
    workers: 3,
    suffix: '-2',
  })
  const lines = directives(config)
  it('one static pool of {workers} children on host:port, in the foreground', () => {
    for (const line of ['listen = 127.0.0.1:18090', 'pm = static', 'pm.max_children = 3', 'daemonize = no'])
      assert.ok(lines.includes(line), line)
  })
  it('writes its pid and log under dir, named apart for each instance', () => {
    assert.ok(lines.includes('pid = /var/tmp/bench-php-fpm-x/php-fpm-2.pid'))
    assert.ok(lines.includes('error_log = /var/tmp/bench-php-fpm-x/php-fpm-2.log'))
  })
  it('puts IPv6 addresses in brackets', () => {
    const v6 = renderPhpFpmConfig({ dir: '/d', host: '::1', listenPort: 18090, workers: 1, suffix: '' })
    assert.ok(directives(v6).includes('listen = [::1]:18090'))
  })
})

describe('upstreams on Unix sockets (upstream: unix)', () => {
  const upstreamSockets = ['/tmp/s/app-1.sock', '/tmp/s/app-2.sock']
  it('nginx, haproxy and Apache name the socket files instead of the ports', () => {
    const nginx = nginxBlock(renderNginxConfig(input('127.0.0.1', { upstreamSockets })), 'upstream app {')
    assert.deepEqual(
      nginx.filter((l) => l.startsWith('server ')),
      ['server unix:/tmp/s/app-1.sock;', 'server unix:/tmp/s/app-2.sock;'],
    )
    const haproxy = haproxySection(
      renderHaproxyConfig(input('127.0.0.1', { upstreamSockets })),
      'backend app',
    )
    assert.deepEqual(
      haproxy.filter((l) => l.startsWith('server ')),
      ['server app0 /tmp/s/app-1.sock', 'server app1 /tmp/s/app-2.sock'],
    )
    const apache = directives(renderApacheConfig(input('127.0.0.1', { upstreamSockets }))).filter((l) =>
      l.startsWith('BalancerMember '),
    )
    assert.deepEqual(apache, [
      'BalancerMember unix:/tmp/s/app-1.sock|http://app1 keepalive=On ttl=60',
      'BalancerMember unix:/tmp/s/app-2.sock|http://app2 keepalive=On ttl=60',
    ])
  })
  it('php-fpm listens on the socket, connectable by the proxy', () => {
    const lines = directives(
      renderPhpFpmConfig({
        dir: '/d',
        host: '127.0.0.1',
        listenPort: 1,
        workers: 1,
        suffix: '',
        socket: '/tmp/s/p.sock',
      }),
    )
    assert.ok(lines.includes('listen = /tmp/s/p.sock'))
    assert.ok(lines.includes('listen.mode = 0666'))
  })
})

describe('renderHaproxyConfig', () => {
  const config = renderHaproxyConfig(input('127.0.0.1'))

  it('lists every upstream port as a server of the backend', () => {
    const servers = haproxySection(config, 'backend app').filter((l) => l.startsWith('server '))
    assert.deepEqual(servers, [
      'server app0 127.0.0.1:18081',
      'server app1 127.0.0.1:18082',
      'server app2 127.0.0.1:18083',
    ])
  })

  it('binds the given host:port, in HTTP mode, and stamps every response with the token', () => {
    const frontend = haproxySection(config, 'frontend bench')
    assert.ok(frontend.includes('bind 127.0.0.1:18080'))
    assert.ok(frontend.includes(`http-response set-header X-Bench-Stack ${token}`))
    assert.ok(haproxySection(config, 'defaults').includes('mode http'))
  })

  it('reuses server-side connections and keeps client connections alive', () => {
    const defaults = haproxySection(config, 'defaults')
    assert.ok(
      defaults.some((l) => /^http-reuse (safe|aggressive|always)$/.test(l)),
      defaults.join('\n'),
    )
    assert.ok(defaults.includes('option http-keep-alive'))
  })

  it('keeps an idle WebSocket (a tunnel) for an hour, past the 60 s client and server timeouts', () => {
    assert.ok(haproxySection(config, 'defaults').includes('timeout tunnel 1h'))
  })

  it('writes its pid file under dir', () => {
    const dir = '/var/tmp/bench-haproxy-xyz'
    assert.ok(
      haproxySection(renderHaproxyConfig(input('127.0.0.1', { dir })), 'global').includes(
        `pidfile ${dir}/haproxy.pid`,
      ),
    )
  })

  it('puts IPv6 addresses in brackets', () => {
    const v6 = renderHaproxyConfig(input('::1'))
    assert.ok(haproxySection(v6, 'frontend bench').includes('bind [::1]:18080'))
    assert.ok(haproxySection(v6, 'backend app').includes('server app0 [::1]:18081'))
  })
})

/** Apache's directives, one per line, with the contents of `<Section …>` blocks excluded unless asked for. */
function apacheSection(config: string, open: string): string[] {
  const lines = directives(config)
  const start = lines.indexOf(open)
  assert.ok(start >= 0, `no "${open}" section in:\n${config}`)
  const end = lines.findIndex((line, i) => i > start && /^<\//.test(line))
  return lines.slice(start + 1, end)
}

describe('renderApacheConfig', () => {
  const config = renderApacheConfig(input('127.0.0.1'))
  const lines = directives(config)

  it('runs the event MPM, with mod_proxy_http and mod_proxy_balancer loaded', () => {
    const loaded = lines.filter((l) => l.startsWith('LoadModule ')).map((l) => l.split(/\s+/)[1])
    for (const module of ['mpm_event_module', 'proxy_module', 'proxy_http_module', 'proxy_balancer_module'])
      assert.ok(loaded.includes(module), `${module} in ${loaded.join(', ')}`)
    assert.ok(!loaded.some((m) => /mpm_(prefork|worker)/.test(m ?? '')), 'one MPM only')
    assert.ok(!loaded.includes('ssl_module'), 'mod_ssl only with tls')
  })

  it('balances every upstream port, each member keeping its connections alive, and proxies / to them', () => {
    const members = apacheSection(config, '<Proxy balancer://app>').filter((l) =>
      l.startsWith('BalancerMember'),
    )
    assert.deepEqual(
      members.map((l) => l.split(/\s+/)[1]),
      ['http://127.0.0.1:18081', 'http://127.0.0.1:18082', 'http://127.0.0.1:18083'],
    )
    for (const member of members) assert.match(member, /\bkeepalive=On\b/)
    assert.ok(lines.includes('ProxyPass / balancer://app/'))
    assert.ok(lines.includes('KeepAlive On'), 'client connections kept alive too')
  })

  it('listens on the given host:port and stamps every response with the token', () => {
    assert.ok(lines.includes('Listen 127.0.0.1:18080'))
    assert.ok(lines.includes(`Header always set X-Bench-Stack ${token}`))
  })

  it('writes its pid, runtime files and mutexes only under dir, and logs errors to bench', () => {
    const dir = '/var/tmp/bench-apache-xyz'
    const own = directives(renderApacheConfig(input('127.0.0.1', { dir })))
    for (const directive of ['ServerRoot', 'DefaultRuntimeDir', 'PidFile', 'Mutex']) {
      const line = own.find((l) => l.startsWith(`${directive} `))
      assert.ok(line?.includes(dir), `${directive}: ${line}`)
    }
    assert.ok(own.includes('ErrorLog "||/bin/cat"'), 'errors go to its stdout, which bench reads')
  })

  it('serves static files itself at their path, and only there', () => {
    const own = renderApacheConfig(input('127.0.0.1', { static: { path: '/assets', dir: '/srv/www' } }))
    const d = directives(own)
    assert.ok(d.includes('Alias /assets/ /srv/www/'))
    assert.ok(d.indexOf('ProxyPass /assets/ !') < d.indexOf('ProxyPass / balancer://app/'), 'excluded first')
    assert.ok(
      apacheSection(own, '<Directory /srv/www/>').includes('Header always set X-Served-By apache-static'),
    )
    assert.ok(!lines.some((l) => l.startsWith('Alias ')), 'no static files unless asked')
  })

  it('terminates TLS with the given certificate and key', () => {
    const own = directives(renderApacheConfig(input('127.0.0.1', { tls: { cert: '/c.pem', key: '/k.pem' } })))
    for (const line of ['SSLEngine on', 'SSLCertificateFile /c.pem', 'SSLCertificateKeyFile /k.pem'])
      assert.ok(own.includes(line), line)
    assert.ok(own.some((l) => l === 'LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so'))
    assert.ok(!lines.some((l) => l.startsWith('SSL')))
  })

  it('puts IPv6 addresses in brackets, for the listener and the members', () => {
    const v6 = directives(renderApacheConfig(input('::1')))
    assert.ok(v6.includes('Listen [::1]:18080'))
    assert.ok(v6.some((l) => l.startsWith('BalancerMember http://[::1]:18081 ')))
  })
})
