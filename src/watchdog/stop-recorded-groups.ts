import { groupMembers, stopProcessGroup } from '../stacks/process-group.js'
import { processStartTime } from './process-start-time.js'

/** A process bench started: the leader of its own process group, with its start time when it was recorded. */
export interface RecordedProcess {
  name: string
  pid: number
  startTime?: number | undefined
}

export type StopOutcome =
  /** Its group still had members, now stopped. */
  | 'stopped'
  /** Nothing of its group is left. */
  | 'gone'
  /** The pid now belongs to another process (started at another time): left alone. */
  | 'not-ours'
  /** Recorded without a start time (by an older bench): bench cannot tell it is still its process. */
  | 'unverified'

/**
 * Stops the process groups of processes bench started, each only if it is still bench's: its leader has the
 * recorded start time, or its leader is gone while members remain (the kernel does not hand out a pid still
 * in use as a process group id, so such a group is the one bench made). Never by name. SIGTERM to every group
 * at once, SIGKILL to those left after `graceMs`.
 */
export async function stopRecordedGroups(
  processes: readonly RecordedProcess[],
  graceMs: number,
): Promise<{ process: RecordedProcess; outcome: StopOutcome }[]> {
  const judged = processes.map((process) => ({ process, outcome: judge(process) }))
  await Promise.all(
    judged.filter((j) => j.outcome === 'stopped').map((j) => stopProcessGroup(j.process.pid, graceMs)),
  )
  return judged
}

function judge(process: RecordedProcess): StopOutcome {
  if (process.startTime === undefined) return 'unverified'
  const startTime = processStartTime(process.pid)
  if (startTime !== undefined && startTime !== process.startTime) return 'not-ours'
  return groupMembers(process.pid).length > 0 ? 'stopped' : 'gone'
}
