import type { WireProtocol } from '../profile/schema.js'
import type { PlannedRequest } from './contract/load-spec.js'
import type { LoadTarget } from './contract/load-target.js'
import { endpointOf } from './endpoint-of.js'
import { encodeRequestFrames } from './h2/encode-request-frames.js'
import { H2Connection } from './h2/h2-connection.js'
import { HttpConnection } from './http1/http-connection.js'
import { serializeRequest } from './http1/serialize-request.js'
import type { ConnectionOwner, LoadConnection } from './load-connection.js'

/** Makes connection `id` of a step, holding up to `depth` requests in flight. */
export type MakeConnection = (id: number, owner: ConnectionOwner, depth: number) => LoadConnection

/**
 * The wire protocols bench's engine speaks (a phase's `protocol`): each encodes the step's requests once and
 * makes its connections. h2 and h2c differ only in the target: TLS with ALPN, or plain TCP with prior knowledge.
 */
export const connectionProtocols: Record<
  WireProtocol,
  (target: LoadTarget, requests: readonly PlannedRequest[]) => MakeConnection
> = {
  http1(target, requests) {
    const { endpoint, hostHeader } = endpointOf(target)
    const bytes = requests.map((r) => serializeRequest(r, hostHeader))
    const heads = requests.map((r) => r.method === 'HEAD')
    return (id, owner, depth) => new HttpConnection(id, endpoint, bytes, heads, owner, depth)
  },
  h2: http2,
  h2c: (target, requests) => http2({ ...target, baseUrl: target.h2cUrl ?? target.baseUrl }, requests),
}

function http2(target: LoadTarget, requests: readonly PlannedRequest[]): MakeConnection {
  const { endpoint, hostHeader } = endpointOf(target)
  const frames = requests.map((r) => encodeRequestFrames(r, hostHeader, endpoint.tls))
  return (id, owner, depth) => new H2Connection(id, endpoint, frames, owner, depth)
}
