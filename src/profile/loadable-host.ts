/**
 * Where bench sends load without --allow-remote: this machine's loopback (127.0.0.0/8, ::1, localhost), or the
 * benchmarking range 198.18.0.0/15 (RFC 2544: 198.18.0.0–198.19.255.255, never routed on the internet), which
 * bench's own tests give the network namespaces they create. Takes a URL's hostname (IPv6 in brackets or not).
 */
export function isLoadableHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === 'localhost' || host === '::1') return true
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)?.slice(1).map(Number)
  if (!octets || octets.some((o) => o > 255)) return false
  const [a, b] = octets as [number, number]
  return a === 127 || (a === 198 && (b === 18 || b === 19))
}
