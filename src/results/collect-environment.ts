import { execFileSync, spawnSync } from 'node:child_process'
import { cpus, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { databaseKinds } from '../kinds/database-kinds.js'
import type { Binary } from '../kinds/server-kind.js'
import { serverKinds } from '../kinds/server-kinds.js'
import { findVersionedBinary } from '../stacks/find-versioned-binary.js'
import type { Environment } from './results-file-schema.js'

/** The servers bench launches (from the server kinds) or compares against, in the order --version lists them. */
const servers: Binary[] = [
  ...Object.values(serverKinds).flatMap((kind): Binary[] =>
    kind.binary === 'app-command' ? [] : [kind.binary],
  ),
  { command: 'gunicorn', debianPackage: 'gunicorn', versionArgs: ['--version'] },
  { command: 'wrk', debianPackage: 'wrk', versionArgs: ['-v'] },
]

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return null // not a git checkout
  }
}

const withSbin = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` }

/** A tool's version line (nginx -v and wrk -v print on stderr, wrk exits 1); null when it is not installed. */
function version(command: string, args: readonly string[]): string | null {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 5000, env: withSbin })
  if (run.error) return null
  return `${run.stdout}${run.stderr}`.trim().split('\n')[0] || null
}

/** The database servers bench runs, found in their version folders (postgres: /usr/lib/postgresql/<v>/bin). */
function databaseVersions(): Record<string, string | null> {
  return Object.fromEntries(
    Object.values(databaseKinds).flatMap((kind) => {
      if (!kind.binary) return []
      const bin = findVersionedBinary(kind.binary)
      const found = bin && version(join(bin, kind.binary.command), kind.binary.versionArgs)
      return [[kind.binary.command, found || null]]
    }),
  )
}

/** What the numbers were measured on, stored with every result. */
export function collectEnvironment(toolVersions: Record<string, string>): Environment {
  const cpuList = cpus()
  return {
    node: process.version,
    platform: platform(),
    kernel: release(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    versions: {
      ...toolVersions,
      ...Object.fromEntries(servers.map((s) => [s.command, version(s.command, s.versionArgs)])),
      ...databaseVersions(),
    },
    gitCommit: gitCommit(),
  }
}
