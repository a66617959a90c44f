import { accessSync, constants, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { VersionedBinary } from '../kinds/database-kind.js'

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** "15" < "16", "9.6" < "10": version folder names compared number by number. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * The bin folder of the highest version under the binary's root (Debian: /usr/lib/postgresql/15/bin) holding
 * every program it needs; undefined when there is none. The root is `process.env[rootEnv]` when set.
 */
export function findVersionedBinary(binary: VersionedBinary): string | undefined {
  const root = process.env[binary.rootEnv] || binary.root
  let versions: string[]
  try {
    versions = readdirSync(root).filter((name) => /^\d+(\.\d+)*$/.test(name))
  } catch {
    return undefined
  }
  return versions
    .sort(compareVersions)
    .reverse()
    .map((version) => join(root, version, binary.binDir))
    .find((bin) => binary.commands.every((command) => isExecutable(join(bin, command))))
}
