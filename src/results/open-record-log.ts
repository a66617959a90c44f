import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs'
import type { RunRecord } from './run-record-schema.js'

interface RecordLog {
  append(record: RunRecord): void
  close(): void
}

const lineOf = (record: RunRecord) => Buffer.from(`${JSON.stringify(record)}\n`)

/**
 * The records file of a run, created with its first record (an older file of that name is replaced): written
 * beside it and renamed, so no reader ever finds it without the run's start. Each later record is one line
 * written with one write(2) before append returns: it is in the OS's hands, so it survives bench being killed
 * with SIGKILL (not a crash of the machine: no fsync, which would cost a disk flush per step).
 */
export function openRecordLog(file: string, first: RunRecord): RecordLog {
  const fresh = `${file}.${process.pid}.new`
  writeFileSync(fresh, lineOf(first))
  renameSync(fresh, file)
  const fd = openSync(file, 'a')
  let open = true
  return {
    append(record) {
      if (!open) throw new Error(`the records file ${file} is closed`)
      const line = lineOf(record)
      let written = 0
      while (written < line.length) written += writeSync(fd, line, written)
    },
    close() {
      if (open) closeSync(fd)
      open = false
    },
  }
}
