export interface ProxyConfigInput {
  /** Folder for the config, pid file and temp files. */
  dir: string
  host: string
  listenPort: number
  upstreamPorts: number[]
  /** The upstreams' Unix sockets, used instead of their ports when given. */
  upstreamSockets?: string[]
  /** Sent as X-Bench-Stack on every response, so verification knows our proxy answered. */
  token: string
  /** Serve these files itself at `path` (the kinds with the static feature). */
  static?: { path: string; dir: string }
  /** Cache the app's 200 responses at exactly `path` (the kinds with the cache feature). */
  cache?: { path: string; ttlSeconds: number }
  /** Terminate TLS with this certificate and key (the kinds with the tls feature). */
  tls?: { cert: string; key: string }
  /** Also listen here for HTTP/2 in clear text (h2c, prior knowledge): nginx cannot serve it beside HTTP/1.1. */
  h2cPort?: number
  /** The upstreams speak FastCGI (php-fpm) and run this script for every request; HTTP when absent. */
  fastcgi?: { script: string }
  /** The upstreams speak the uwsgi protocol (uWSGI); HTTP when absent. */
  uwsgi?: boolean
}

/** `host:port` as proxies write it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
