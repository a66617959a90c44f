import type { PlannedRequest } from '../contract/load-spec.js'

/**
 * One request spec → its bytes on the wire, built once per step and written as is for every request: no
 * per-request string building or header objects. Host comes first (as browsers and wrk send it); a body gets
 * its Content-Length unless the spec set one.
 */
export function serializeRequest(request: PlannedRequest, host: string): Buffer {
  const lines = [`${request.method} ${request.path} HTTP/1.1`]
  const names = new Set(Object.keys(request.headers).map((h) => h.toLowerCase()))
  if (!names.has('host')) lines.push(`Host: ${host}`)
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  if (body && !names.has('content-length')) lines.push(`Content-Length: ${body.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body ? Buffer.concat([head, body]) : head
}
