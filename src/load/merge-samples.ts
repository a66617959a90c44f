import { mergeHistograms } from '../stats/latency-histogram.js'
import { mergeErrorCounts } from '../stats/merge-error-counts.js'
import type { OpenLoopSample, TrialSample } from './trial-sample.js'

/** The samples of a step's generator threads → the step's sample: counts added, histograms merged exactly. */
export function mergeSamples(samples: readonly TrialSample[]): TrialSample {
  const sum = (pick: (s: TrialSample) => number) => samples.reduce((total, s) => total + pick(s), 0)
  const opens = samples.flatMap((s) => (s.open ? [s.open] : []))
  const merged: TrialSample = {
    successes: sum((s) => s.successes),
    bytes: sum((s) => s.bytes),
    durationMs: Math.max(...samples.map((s) => s.durationMs)),
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
  if (opens.length > 0) {
    const openSum = (pick: (o: OpenLoopSample) => number) => opens.reduce((total, o) => total + pick(o), 0)
    merged.open = {
      targetRate: openSum((o) => o.targetRate),
      sent: openSum((o) => o.sent),
      blocked: openSum((o) => o.blocked),
      correctedHistogram: mergeHistograms(opens.map((o) => o.correctedHistogram)),
      sendLagHistogram: mergeHistograms(opens.map((o) => o.sendLagHistogram)),
      timeline: (opens[0]?.timeline ?? []).map((_, i) => openSum((o) => o.timeline[i] ?? 0)),
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
