import { accessSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'

/** Server binaries live in sbin on Debian, which a non-root PATH often lacks. */
const extraDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin']

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The absolute path `command` runs, looked up like a shell does (plus sbin); undefined if none. */
export function findExecutable(command: string, cwd: string): string | undefined {
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(cwd, command)
    return isExecutable(path) ? path : undefined
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  return dirs.map((dir) => join(dir, command)).find(isExecutable)
}
