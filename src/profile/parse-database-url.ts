/**
 * A database URL's scheme and the host it connects to, as libpq and pg read it: the hostname, or ?host= (a
 * Unix socket folder when it starts with "/"), or '' for the default socket (postgresql://me@/bench has no
 * host, which the WHATWG URL parser refuses, so it is parsed with a stand-in); undefined when it is no URL.
 */
export function parseDatabaseUrl(value: string): { protocol: string; host: string } | undefined {
  const noHost = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?\//i.test(value)
  let url: URL
  try {
    url = new URL(noHost ? value.replace(/^([^:]+:\/\/(?:[^/@]*@)?)\//, '$1socket/') : value)
  } catch {
    return undefined
  }
  return { protocol: url.protocol, host: url.searchParams.get('host') ?? (noHost ? '' : url.hostname) }
}
