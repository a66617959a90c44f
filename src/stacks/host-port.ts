export interface ProxyConfigInput {
  /** Folder for the config, pid file and temp files. */
  dir: string
  host: string
  listenPort: number
  upstreamPorts: number[]
  /** Sent as X-Bench-Stack on every response, so verification knows our proxy answered. */
  token: string
}

/** `host:port` as proxies write it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
