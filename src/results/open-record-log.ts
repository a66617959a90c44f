import { closeSync, openSync, writeSync } from 'node:fs'
import type { RunRecord } from './run-record-schema.js'

interface RecordLog {
  append(record: RunRecord): void
  close(): void
}

/**
 * The records file of a run, created empty (an older file of that name is replaced). Each record is one line
 * written with one write(2) before append returns: it is in the OS's hands, so it survives bench being killed
 * with SIGKILL (not a crash of the machine: no fsync, which would cost a disk flush per step).
 */
export function openRecordLog(file: string): RecordLog {
  const fd = openSync(file, 'w')
  let open = true
  return {
    append(record) {
      if (!open) throw new Error(`the records file ${file} is closed`)
      const line = Buffer.from(`${JSON.stringify(record)}\n`)
      let written = 0
      while (written < line.length) written += writeSync(fd, line, written)
    },
    close() {
      if (open) closeSync(fd)
      open = false
    },
  }
}
