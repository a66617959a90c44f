import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

/** Every CPU of this machine that bench may use: 0 … n−1. */
export function machineCpus(): number[] {
  // os.cpus(), not availableParallelism(): the latter counts the CPUs this process is pinned to
  return Array.from({ length: cpus().length }, (_, i) => i)
}

/**
 * Pins every thread of process `pid` to `cpus` (taskset -a -p; threads started later inherit it). bench pins
 * itself this way when the profile sets cpus.generator, and unpins (all CPUs) when the run ends.
 */
export function pinProcess(pid: number, cpus: readonly number[]): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(pid)], { stdio: 'ignore' })
}
