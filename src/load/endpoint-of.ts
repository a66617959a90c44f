import type { LoadTarget } from './contract/load-target.js'
import type { Endpoint } from './load-connection.js'

/** A target → where its sockets connect, and the Host header its requests carry. */
export function endpointOf(target: LoadTarget): { endpoint: Endpoint; hostHeader: string } {
  const url = new URL(target.baseUrl)
  const tls = url.protocol === 'https:'
  return {
    endpoint: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (tls ? 443 : 80),
      tls,
      rejectUnauthorized: !target.selfSigned,
    },
    hostHeader: url.host,
  }
}
