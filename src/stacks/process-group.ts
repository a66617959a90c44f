import { readProcessTable } from './process-table.js'

/** Live (non-zombie) processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return readProcessTable()
    .filter((p) => p.pgid === pgid && p.state !== 'Z')
    .map((p) => p.pid)
}

/** Waits until the group has no live member; false if it still has one after `timeoutMs`. */
async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (groupMembers(pgid).length > 0) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

/** Waits until the group has at least `size` live members; false if it has fewer after `timeoutMs`. */
export async function waitGroupSize(pgid: number, size: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (groupMembers(pgid).length < size) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: the group is already gone
  }
}

/**
 * SIGTERM (or `signal`) to the whole group, SIGKILL after the grace period; resolves once no member is left.
 */
export async function stopProcessGroup(
  pgid: number,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  signalGroup(pgid, signal)
  if (await waitGroupGone(pgid, graceMs)) return
  signalGroup(pgid, 'SIGKILL')
  await waitGroupGone(pgid, 5000)
}
