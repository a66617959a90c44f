import { mergeHistograms } from './latency-histogram.js'
import { mergeErrorCounts } from './merge-error-counts.js'
import type { OpenLoopSample, TrialSample } from './sample-schemas.js'

/**
 * The samples of a step's generators (threads now, agents next) → the step's sample: counts added, histograms
 * merged exactly, timelines added on absolute time. `startOffsetsMs[i]` is when share i's measured window began,
 * in ms after the step's common start (0, or absent, for a share that began on time): the step lasted from the
 * earliest share's start to the last share's end, and a share's timeline second k is the step's second
 * k + its offset. Every share's timeline buckets are seconds from its own start.
 */
export function mergeSamples(
  samples: readonly TrialSample[],
  startOffsetsMs: readonly number[] = [],
): TrialSample {
  const sum = (pick: (s: TrialSample) => number) => samples.reduce((total, s) => total + pick(s), 0)
  const offsets = samples.map((_, i) => startOffsetsMs[i] ?? 0)
  const first = Math.min(...offsets)
  const merged: TrialSample = {
    successes: sum((s) => s.successes),
    bytes: sum((s) => s.bytes),
    durationMs: Math.max(...samples.map((s, i) => (offsets[i] as number) + s.durationMs)) - first,
    errors: mergeErrorCounts(samples.map((s) => s.errors)),
    histogram: mergeHistograms(samples.map((s) => s.histogram)),
  }
  const endpoints = samples[0]?.endpoints
  if (endpoints)
    merged.endpoints = endpoints.map((e, i) => {
      const same = samples.flatMap((s) => (s.endpoints?.[i] ? [s.endpoints[i]] : []))
      return {
        name: e.name,
        successes: same.reduce((total, x) => total + x.successes, 0),
        errors: mergeErrorCounts(same.map((x) => x.errors)),
        histogram: mergeHistograms(same.map((x) => x.histogram)),
      }
    })
  const opens = samples.flatMap((s, i) => (s.open ? [{ open: s.open, offsetMs: offsets[i] as number }] : []))
  if (opens.length > 0) {
    const openSum = (pick: (o: OpenLoopSample) => number) =>
      opens.reduce((total, o) => total + pick(o.open), 0)
    merged.open = {
      targetRate: openSum((o) => o.targetRate),
      sent: openSum((o) => o.sent),
      blocked: openSum((o) => o.blocked),
      correctedHistogram: mergeHistograms(opens.map((o) => o.open.correctedHistogram)),
      sendLagHistogram: mergeHistograms(opens.map((o) => o.open.sendLagHistogram)),
      timeline: mergeTimelines(
        opens.map((o) => ({ timeline: o.open.timeline, shift: Math.round((o.offsetMs - first) / 1000) })),
      ),
    }
  }
  const sockets = samples.flatMap((s) => (s.websocket ? [s.websocket] : []))
  if (sockets.length > 0) {
    const add = (key: 'connections' | 'established' | 'dropped' | 'tooLarge' | 'closedCleanly') =>
      sockets.reduce((total, w) => total + w[key], 0)
    merged.websocket = {
      connections: add('connections'),
      established: add('established'),
      refused: mergeErrorCounts(sockets.map((w) => w.refused)),
      dropped: add('dropped'),
      tooLarge: add('tooLarge'),
      handshakeHistogram: mergeHistograms(sockets.map((w) => w.handshakeHistogram)),
      closedCleanly: add('closedCleanly'),
    }
  }
  return merged
}

/** Per-second counts added on the step's clock: share bucket k lands in step bucket k + shift. */
function mergeTimelines(parts: readonly { timeline: readonly number[]; shift: number }[]): number[] {
  const length = Math.max(0, ...parts.map((p) => p.shift + p.timeline.length))
  const merged = new Array<number>(length).fill(0)
  for (const { timeline, shift } of parts)
    timeline.forEach((n, k) => {
      merged[k + shift] = (merged[k + shift] ?? 0) + n
    })
  return merged
}
