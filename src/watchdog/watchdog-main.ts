import { createInterface } from 'node:readline'
import { type RecordedProcess, stopRecordedGroups } from './stop-recorded-groups.js'

/**
 * The watchdog of one bench run, a process of its own (its own session and process group), started by
 * startWatchdog. bench writes one JSON line per process it starts, {"track": {name, pid, startTime}}, and
 * "bye" when it ends cleanly (its own cleanup has stopped everything). If its standard input closes without
 * "bye", bench died (SIGKILL, a crash): the watchdog stops every recorded process group that is still bench's,
 * then exits.
 */
const tracked: RecordedProcess[] = []
let bye = false
process.on('SIGINT', () => {}) // a Ctrl-C meant for bench is not for the watchdog
process.on('SIGHUP', () => {})

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (line === 'bye') {
    bye = true
    return
  }
  try {
    const message = JSON.parse(line) as { track?: RecordedProcess }
    if (message.track && Number.isInteger(message.track.pid) && message.track.pid > 1)
      tracked.push(message.track)
  } catch {
    // not a message of bench's: ignore it
  }
})
lines.on('close', async () => {
  if (bye) process.exit(0)
  const stopped = await stopRecordedGroups(tracked, 3000)
  for (const { process: p, outcome } of stopped)
    process.stderr.write(`bench watchdog: ${p.name} (pid ${p.pid}): ${outcome}\n`)
  process.exit(0)
})
