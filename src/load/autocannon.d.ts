// The slice of autocannon 9.0.0 (patched, see patches/) that autocannon-driver.ts uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface Request {
    method?: string
    path: string
    headers?: Record<string, string>
    body?: string
  }
  interface Options {
    url: string
    connections: number
    pipelining: number
    duration: number
    timeout: number
    sampleInt?: number
    requests?: Request[]
    skipAggregateResult?: boolean
    reconnectRate?: number
  }
  interface Instance extends EventEmitter {
    stop(): void
  }
  function autocannon(options: Options, done: (error: Error | null, result: unknown) => void): Instance
  export default autocannon
}
