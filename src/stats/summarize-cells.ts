import type { TrialSample } from '../samples/sample-schemas.js'
import { cellKey } from './cell-key.js'
import type { CellStats } from './cell-stats-schema.js'
import { computeCellStats } from './compute-cell-stats.js'
import { judgeCell } from './judge-cell.js'
import { median } from './simple-statistics.js'
import type { CellRecord, TrialRecord } from './trial-record-schema.js'

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

/** The database's statements and transactions per second (median over trials), and statements per 2xx response. */
function databaseRates(trials: readonly TrialRecord[]): Pick<CellStats, 'database'> {
  const counted = trials.filter((t) => t.database !== undefined && t.sample !== undefined)
  if (counted.length === 0) return {}
  const perSecond = (t: TrialRecord, n: number) => (n * 1000) / (t.sample as TrialSample).durationMs
  const statements = counted.reduce((sum, t) => sum + (t.database?.statements ?? 0), 0)
  const successes = counted.reduce((sum, t) => sum + (t.sample?.successes ?? 0), 0)
  return {
    database: {
      queriesPerSec: median(counted.map((t) => perSecond(t, t.database?.statements ?? 0))),
      transactionsPerSec: median(counted.map((t) => perSecond(t, t.database?.transactions ?? 0))),
      queriesPerResponse: successes > 0 ? statements / successes : 0,
    },
  }
}

/** Trial records → one record per cell (stack × phase × step), in first-seen order. */
export function summarizeCells(trials: readonly TrialRecord[]): CellRecord[] {
  const groups = new Map<string, TrialRecord[]>()
  for (const t of trials) {
    const key = cellKey(t)
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
          ...databaseRates(withSample),
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
