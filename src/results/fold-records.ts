import type { CapacitySearch } from '../capacity/capacity-result-schema.js'
import { summarizeCells } from '../stats/summarize-cells.js'
import type { ResultSet, StackRunRecord } from './results-file-schema.js'
import type { RunRecord } from './run-record-schema.js'

/** The stack run a record belongs to: the last one of that stack and trial (a stack restarts per trial). */
function stackRunOf(runs: StackRunRecord[], record: { stack: string; trial: number }) {
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as StackRunRecord
    if (run.stack === record.stack && run.trial === record.trial) return run
  }
  const run: StackRunRecord = { stack: record.stack, trial: record.trial, processes: [] }
  runs.push(run)
  return run
}

/**
 * A run's records → its result set: the stack runs, the trials, the cells summarised from them, the warnings,
 * the capacity conclusions and the gate, as recorded. The status is the run-finished record's; without one the
 * run did not finish (killed, or still going): "interrupted". Pure, so the results file, bench report, bench
 * gate and bench history add all read the same thing from the same records.
 */
export function foldRecords(records: readonly RunRecord[]): ResultSet {
  const start = records.find((r) => r.kind === 'run-started')
  if (!start) throw new Error('the records do not start with a run-started record')
  const results: ResultSet = {
    schemaVersion: start.schemaVersion,
    tool: start.tool,
    status: 'interrupted',
    profile: start.profile,
    startedAt: start.startedAt,
    environment: start.environment,
    stackRuns: [],
    trials: [],
    cells: [],
    warnings: [],
    ...(start.gateConfig ? { gateConfig: start.gateConfig } : {}),
  }
  const searches = new Map<string, CapacitySearch>()
  for (const record of records) {
    switch (record.kind) {
      case 'stack-started':
        results.stackRuns.push({ stack: record.stack, trial: record.trial, processes: [] })
        break
      case 'process-spawned': {
        const { name, pid, startTime } = record
        stackRunOf(results.stackRuns, record).processes.push({
          name,
          pid,
          ...(startTime !== undefined ? { startTime } : {}),
        })
        break
      }
      case 'stack-ready':
        stackRunOf(results.stackRuns, record).startupMs = record.startupMs
        break
      case 'stack-failed':
        stackRunOf(results.stackRuns, record).failure = record.failure
        break
      case 'agents-ready':
        results.agents = record.agents.map((agent) => ({ ...agent, steps: [] }))
        break
      case 'step': {
        const { kind: _, ...trial } = record
        results.trials.push(trial)
        const generator = trial.sample?.generator
        for (const used of generator?.agents ?? []) {
          results.agents
            ?.find((a) => a.index === used.index)
            ?.steps.push({
              stack: trial.stack,
              phase: trial.phase,
              step: trial.step,
              trial: trial.trial,
              requests: used.requests,
              cpuPercent: used.cpuPercent,
              startMs: used.startMs,
              startSkewMs: generator?.startSkewMs ?? 0,
            })
        }
        break
      }
      case 'warning': {
        const { kind: _, ...warning } = record
        results.warnings.push(warning)
        break
      }
      case 'capacity-started': {
        const { kind: _, searches: stacks, ...settings } = record
        results.capacity = { ...settings, searches: [], scaling: [] }
        for (const { stack, topology } of stacks) {
          const search: CapacitySearch = {
            stack,
            topology,
            status: 'interrupted',
            maxRate: null,
            failRate: null,
            steps: [],
          }
          searches.set(stack, search)
          results.capacity.searches.push(search)
        }
        break
      }
      case 'search-step':
        searches.get(record.stack)?.steps.push(record.step)
        break
      case 'search-done': {
        const { kind: _, stack, ...done } = record
        const search = searches.get(stack)
        if (search) Object.assign(search, done)
        break
      }
      case 'scaling':
        results.capacity?.scaling.push(record.scaling)
        break
      case 'gate':
        results.gate = record.gate
        break
      case 'run-finished':
        results.status = record.status
        results.finishedAt = record.finishedAt
        break
      case 'run-started':
      case 'stack-stopped':
        break
    }
  }
  results.cells = summarizeCells(results.trials)
  return results
}
