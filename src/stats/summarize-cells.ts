import { median } from 'simple-statistics'
import type { CellRecord, CellStats, TrialRecord, TrialSample } from '../results/result-set-schema.js'
import { computeCellStats } from './compute-cell-stats.js'
import { judgeCell } from './judge-cell.js'

/** The slow clients' and idle crowd's outcomes of a cell's trials, added up. */
function sumSideLoad(trials: readonly TrialRecord[]): Pick<CellStats, 'slowClients' | 'idle'> {
  const slow = trials.flatMap((t) => (t.slowClients ? [t.slowClients] : []))
  const idle = trials.flatMap((t) => (t.idle ? [t.idle] : []))
  const add = <T extends Record<string, unknown>>(list: T[], key: keyof T) =>
    list.reduce((sum, x) => sum + (x[key] as number), 0)
  return {
    ...(slow[0]
      ? {
          slowClients: {
            kind: slow[0].kind,
            connections: add(slow, 'connections'),
            served: add(slow, 'served'),
            held: add(slow, 'held'),
            closed: add(slow, 'closed'),
            refused: add(slow, 'refused'),
          },
        }
      : {}),
    ...(idle.length
      ? {
          idle: {
            connections: add(idle, 'connections'),
            opened: add(idle, 'opened'),
            closed: add(idle, 'closed'),
          },
        }
      : {}),
  }
}

/** Trial records → one record per cell (stack × phase × step), in first-seen order. */
export function summarizeCells(trials: readonly TrialRecord[]): CellRecord[] {
  const groups = new Map<string, TrialRecord[]>()
  for (const t of trials) {
    const key = JSON.stringify([t.stack, t.phase, t.step])
    groups.set(key, [...(groups.get(key) ?? []), t])
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as TrialRecord
    const withSample = group.filter((t) => t.sample !== undefined)
    const samples = withSample.map((t) => t.sample as TrialSample)
    const stats = samples.length
      ? {
          ...computeCellStats(
            samples,
            withSample.map((t) => t.resources ?? []),
          ),
          ...sumSideLoad(withSample),
        }
      : undefined
    const startups = group.flatMap((t) => (t.startupMs === undefined ? [] : [t.startupMs]))
    const failures = group.flatMap((t) => (t.failure ? [t.failure] : []))
    return {
      stack: first.stack,
      phase: first.phase,
      step: first.step,
      loop: first.loop,
      connections: first.connections,
      pipelining: first.pipelining,
      ...(first.rate ? { rate: first.rate } : {}),
      status: failures.length === 0 && stats ? 'ok' : 'failed',
      ...(startups.length ? { startupMs: median(startups) } : {}),
      ...(stats ? { stats, verdict: judgeCell(stats) } : {}),
      failures,
    }
  })
}
