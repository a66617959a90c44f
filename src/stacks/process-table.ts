import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessEntry {
  pid: number
  ppid: number
  pgid: number
  /** R, S, Z, … */
  state: string
  /** utime + stime, in clock ticks. */
  cpuTicks: number
  /** Resident set, in pages. */
  rssPages: number
}

/**
 * Every process on the machine, read from /proc/<pid>/stat. Written by hand: process-tree libraries (pidtree,
 * ps-tree, pidusage) follow parent links or single pids; bench needs whole process groups, which a
 * daemonising child cannot escape.
 */
export function readProcessTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // exited while we looked
    }
    // pid (comm) state ppid pgrp … — comm may hold spaces and parentheses, so split after the last ')'
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    entries.push({
      pid: Number(name),
      state: f[0] ?? '?',
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      rssPages: Number(f[21]),
    })
  }
  return entries
}
