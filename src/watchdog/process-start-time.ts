import { readFileSync } from 'node:fs'

/**
 * When the process `pid` started, in clock ticks since boot (/proc/<pid>/stat, field 22); undefined when no
 * such process exists. A pid is reused after its process is gone, so a pid and its start time together name
 * one process: bench records both at spawn, and stops a pid later only if the start time still matches.
 */
export function processStartTime(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // pid (comm) state … — comm may hold spaces and parentheses, so count fields after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[19])
  return Number.isFinite(ticks) ? ticks : undefined
}
