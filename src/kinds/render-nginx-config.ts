import { hostPort, type ProxyConfigInput } from './host-port.js'

/**
 * HTTP to the app with upstream keep-alive, and WebSocket upgrades passed on: Upgrade and Connection are hop-by-hop,
 * so nginx sends them only when told to; `$connection_upgrade` is "upgrade" when the client asked for one and empty
 * (keep-alive) otherwise. An upgraded connection idle for proxy_read_timeout is closed by nginx, so the timeouts
 * are an hour, not 60 s: idle WebSockets are what a hold phase measures.
 */
const proxyToApp = `proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;`

/** The CGI parameters nginx sends a FastCGI app (Debian's fastcgi_params, written out), the script fixed. */
const cgiParams = [
  ['QUERY_STRING', '$query_string'],
  ['REQUEST_METHOD', '$request_method'],
  ['CONTENT_TYPE', '$content_type'],
  ['CONTENT_LENGTH', '$content_length'],
  ['SCRIPT_NAME', '$fastcgi_script_name'],
  ['REQUEST_URI', '$request_uri'],
  ['DOCUMENT_URI', '$document_uri'],
  ['SERVER_PROTOCOL', '$server_protocol'],
  ['REQUEST_SCHEME', '$scheme'],
  ['GATEWAY_INTERFACE', 'CGI/1.1'],
  ['SERVER_SOFTWARE', 'nginx'],
  ['REMOTE_ADDR', '$remote_addr'],
  ['REMOTE_PORT', '$remote_port'],
  ['SERVER_ADDR', '$server_addr'],
  ['SERVER_PORT', '$server_port'],
  ['SERVER_NAME', '$server_name'],
]

/** The parameters nginx sends a uwsgi app (Debian's uwsgi_params, written out); request headers go as HTTP_*. */
const uwsgiParams = [
  ['QUERY_STRING', '$query_string'],
  ['REQUEST_METHOD', '$request_method'],
  ['CONTENT_TYPE', '$content_type'],
  ['CONTENT_LENGTH', '$content_length'],
  ['REQUEST_URI', '$request_uri'],
  ['PATH_INFO', '$document_uri'],
  ['SERVER_PROTOCOL', '$server_protocol'],
  ['REQUEST_SCHEME', '$scheme'],
  ['REMOTE_ADDR', '$remote_addr'],
  ['REMOTE_PORT', '$remote_port'],
  ['SERVER_PORT', '$server_port'],
  ['SERVER_NAME', '$server_name'],
]

/**
 * To the app over HTTP with upstream keep-alive, or over FastCGI or uwsgi with one connection per request. nginx
 * cannot keep uwsgi connections; it can keep FastCGI ones (fastcgi_keep_conn), but a php-fpm child then holds its
 * connection idle in nginx's cache while requests nginx sent on further connections wait in the backlog until
 * nginx's 60 s read timeout — 1 % of requests timed out at 1,000 req/s with 256 clients and 4 children.
 */
function passToApp(input: ProxyConfigInput): string {
  if (input.uwsgi)
    return ['uwsgi_pass app;', ...uwsgiParams.map(([name, value]) => `uwsgi_param ${name} ${value};`)].join(
      '\n      ',
    )
  if (!input.fastcgi) return proxyToApp
  return [
    'fastcgi_pass app;',
    'fastcgi_keep_conn off;',
    `fastcgi_param SCRIPT_FILENAME ${input.fastcgi.script};`,
    ...cgiParams.map(([name, value]) => `fastcgi_param ${name} ${value};`),
  ].join('\n      ')
}

/** proxy_cache…, fastcgi_cache… or uwsgi_cache…: the directives of nginx's cache for the upstream's protocol. */
const cachePrefix = (input: ProxyConfigInput) => (input.uwsgi ? 'uwsgi' : input.fastcgi ? 'fastcgi' : 'proxy')

/** The extra locations: static files served by nginx, a cached endpoint (add_header is not inherited, so repeated). */
function locations(input: ProxyConfigInput): string {
  const parts: string[] = []
  const token = `add_header X-Bench-Stack ${input.token} always;`
  if (input.static) {
    const path = input.static.path.endsWith('/') ? input.static.path : `${input.static.path}/`
    parts.push(`    location ${path} {
      alias ${input.static.dir.replace(/\/?$/, '/')};
      ${token}
      add_header X-Served-By nginx-static always;
    }`)
  }
  if (input.cache) {
    const p = cachePrefix(input)
    parts.push(`    location = ${input.cache.path} {
      ${passToApp(input)}
      ${p}_cache bench;
      ${p}_cache_valid 200 ${input.cache.ttlSeconds}s;
      ${p}_cache_lock on;${p === 'proxy' ? '' : `\n      ${p}_cache_key $scheme$request_method$host$request_uri;`}
      ${token}
      add_header X-Cache-Status $upstream_cache_status always;
    }`)
  }
  return parts.map((p) => `\n${p}\n`).join('')
}

/** nginx as a reverse proxy with upstream keep-alive, everything it writes kept in `dir`. */
export function renderNginxConfig(input: ProxyConfigInput): string {
  const servers = (
    input.upstreamSockets?.map((path) => `unix:${path}`) ??
    input.upstreamPorts.map((port) => hostPort(input.host, port))
  )
    .map((address) => `    server ${address};`)
    .join('\n')
  const cachePath = input.cache
    ? `\n  ${cachePrefix(input)}_cache_path ${input.dir}/cache levels=1:2 keys_zone=bench:10m max_size=256m inactive=10m use_temp_path=off;`
    : ''
  const tls = input.tls
    ? `\n    ssl_certificate ${input.tls.cert};\n    ssl_certificate_key ${input.tls.key};\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:bench_tls:10m;`
    : ''
  return `# generated by bench
daemon off;
master_process on;
worker_processes auto;
worker_rlimit_nofile 65536;
pid ${input.dir}/nginx.pid;
error_log stderr warn;

events {
  worker_connections 16384;
}

http {
  access_log off;
  client_body_temp_path ${input.dir}/client_body;
  proxy_temp_path ${input.dir}/proxy;
  fastcgi_temp_path ${input.dir}/fastcgi;
  uwsgi_temp_path ${input.dir}/uwsgi;
  scgi_temp_path ${input.dir}/scgi;
  keepalive_timeout 65s;
  keepalive_requests 100000;${cachePath}

  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' '';
  }

  upstream app {
${servers}
    keepalive 128;
    keepalive_requests 100000;
  }

  server {
    listen ${hostPort(input.host, input.listenPort)}${input.tls ? ' ssl http2' : ''} backlog=4096;${input.h2cPort ? `\n    listen ${hostPort(input.host, input.h2cPort)} http2 backlog=4096;` : ''}${tls}
    add_header X-Bench-Stack ${input.token} always;

    location / {
      ${passToApp(input)}
    }
${locations(input)}  }
}
`
}
