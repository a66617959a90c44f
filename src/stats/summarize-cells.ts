import { median } from 'simple-statistics'
import type { CellRecord, TrialRecord } from '../results/result-set-schema.js'
import { computeCellStats } from './compute-cell-stats.js'

/** Trial records → one record per cell (stack × phase × step), in first-seen order. */
export function summarizeCells(trials: readonly TrialRecord[]): CellRecord[] {
  const groups = new Map<string, TrialRecord[]>()
  for (const t of trials) {
    const key = JSON.stringify([t.stack, t.phase, t.step])
    groups.set(key, [...(groups.get(key) ?? []), t])
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as TrialRecord
    const samples = group.flatMap((t) => (t.sample ? [t.sample] : []))
    const startups = group.flatMap((t) => (t.startupMs === undefined ? [] : [t.startupMs]))
    const failures = group.flatMap((t) => (t.failure ? [t.failure] : []))
    return {
      stack: first.stack,
      phase: first.phase,
      step: first.step,
      connections: first.connections,
      pipelining: first.pipelining,
      loop: first.loop,
      status: failures.length === 0 && samples.length > 0 ? 'ok' : 'failed',
      ...(startups.length ? { startupMs: median(startups) } : {}),
      ...(samples.length ? { stats: computeCellStats(samples) } : {}),
      failures,
    }
  })
}
