import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from './sample-schemas.js'

/** 1 µs to 1 hour at 3 significant digits: 0.1 % resolution at every scale. */
function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  })
}

/** Records latencies in µs; the one place that knows the histogram library. */
export class LatencyRecorder {
  private readonly histogram = newHistogram()

  record(micros: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(micros)))
  }

  get count(): number {
    return this.histogram.totalCount
  }

  /** The value at percentile `p` so far, in ms (0 when empty): for live progress. */
  percentileMs(p: number): number {
    return this.histogram.totalCount === 0 ? 0 : this.histogram.getValueAtPercentile(p) / 1000
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram)
  }
}

function decodeAll(encoded: readonly string[]): hdr.Histogram {
  const merged = newHistogram()
  for (const text of encoded) merged.add(hdr.decodeFromCompressedBase64(text, 64, false))
  return merged
}

/** Several encoded histograms → one, exactly (counts added bucket by bucket). */
export function mergeHistograms(encoded: readonly string[]): string {
  return hdr.encodeIntoCompressedBase64(decodeAll(encoded))
}

/** Merges encoded histograms exactly (never averages percentiles) and reads the percentiles in ms (null when empty). */
export function summarizeLatency(encoded: readonly string[]): LatencySummary {
  const merged = decodeAll(encoded)
  const at = (p: number) => merged.getValueAtPercentile(p) / 1000
  // nothing measured: no figure, rather than a latency of 0 that no request had
  if (merged.totalCount === 0)
    return { count: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null }
  return {
    count: merged.totalCount,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: merged.maxValue / 1000,
    mean: merged.mean / 1000,
  }
}
