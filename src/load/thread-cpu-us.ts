import { readFileSync } from 'node:fs'

/**
 * CPU time (user + system) of the calling thread so far, µs — from /proc/thread-self/schedstat (ns on CPU),
 * which a worker thread reads for itself (a synchronous read runs on the calling thread). Node 20 has no
 * process.threadCpuUsage (added in 23.9), and process.cpuUsage() is the whole process's. undefined where there
 * is no such file (not Linux, or schedstats off). Read twice per task, never per request.
 */
export function threadCpuUs(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0])
    return Number.isFinite(ns) ? ns / 1000 : undefined
  } catch {
    return undefined
  }
}
