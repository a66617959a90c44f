import { type ErrorClass, emptyErrorCounts } from '../samples/error-classes.js'
import { LatencyRecorder } from '../samples/latency-histogram.js'
import type { EndpointSample } from '../samples/sample-schemas.js'
import type { LoadSpec } from './contract/load-spec.js'

/**
 * The counts of each of a phase's requests apart, when the phase mixes several (per-endpoint rows): answers,
 * errors and a latency histogram each. Indexed by the request's place in the step's cycle, so the per-answer
 * cost is one typed-array read and one record; a phase of one request gets none (`endpointCounters` → undefined).
 */
class EndpointCounters {
  private readonly endpointOf: Int32Array
  private readonly latency: LatencyRecorder[]
  private readonly successes: Float64Array
  private readonly errors: ReturnType<typeof emptyErrorCounts>[]

  constructor(
    private readonly names: readonly string[],
    cycle: readonly { endpoint?: number }[],
  ) {
    this.endpointOf = Int32Array.from(cycle, (r) => r.endpoint ?? 0)
    this.latency = names.map(() => new LatencyRecorder())
    this.successes = new Float64Array(names.length)
    this.errors = names.map(() => emptyErrorCounts())
  }

  /** A 2xx answer to the cycle's request `request`, `micros` after the clock of this loop started. */
  success(request: number, micros: number): void {
    const e = this.endpointOf[request] as number
    this.successes[e] = (this.successes[e] as number) + 1
    this.latency[e]?.record(micros)
  }

  status(request: number, status: number): void {
    const errors = this.errors[this.endpointOf[request] as number]
    if (errors) errors.status[status] = (errors.status[status] ?? 0) + 1
  }

  failed(request: number, reason: ErrorClass): void {
    const errors = this.errors[this.endpointOf[request] as number]
    if (errors) errors[reason]++
  }

  samples(): EndpointSample[] {
    return this.names.map((name, e) => ({
      name,
      successes: this.successes[e] as number,
      errors: this.errors[e] ?? emptyErrorCounts(),
      histogram: (this.latency[e] as LatencyRecorder).encode(),
    }))
  }
}

/** The counters of a step whose phase mixes several requests; undefined for one request. */
export function endpointCounters(load: LoadSpec): EndpointCounters | undefined {
  return load.endpoints ? new EndpointCounters(load.endpoints, load.requests) : undefined
}
