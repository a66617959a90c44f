/**
 * Headers an HTTP/2 request must not carry (RFC 9113 §8.2.2: connection-specific; Host becomes :authority), by
 * lower-case name: the engine's h2 frames and the h2c verification fetch both leave them out.
 */
export const connectionSpecificHeaders: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
])
