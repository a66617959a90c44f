import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { BenchError } from '../bench-error.js'
import { databaseKinds } from '../kinds/database-kinds.js'
import type { Binary } from '../kinds/server-kind.js'
import { serverKinds } from '../kinds/server-kinds.js'
import type { Profile } from '../profile/schema.js'
import { findExecutable } from './find-executable.js'
import { findVersionedBinary } from './find-versioned-binary.js'
import { missingDatabase } from './missing-database.js'
import { stackKinds } from './stack-kinds.js'

/** The programs of the server kinds, and app commands bench knows the Debian package of. */
const binaries = Object.values(serverKinds).flatMap((kind): Binary[] =>
  kind.binary === 'app-command' ? [] : [kind.binary],
)
const debianPackage: Record<string, string> = {
  ...Object.fromEntries(binaries.map((b) => [b.command, b.debianPackage])),
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  wrk: 'wrk',
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Every program the profile's stacks would run, checked before any starts (`find` is replaced in tests). */
export function checkBinaries(profile: Profile, profileDir: string, find = findExecutable): BenchError[] {
  const problems = new Map<string, BenchError>()
  for (const stack of profile.stacks) {
    const app = stack.app === undefined ? undefined : profile.apps[stack.app]
    for (const { binary, tier } of app ? stackKinds(stack, app) : []) {
      if (binary === 'app-command' || find(binary.command, profileDir)) continue
      const role = tier.cpus === 'proxy' ? 'puts it in front of the app' : `runs app "${stack.app}" with it`
      problems.set(
        binary.command,
        new BenchError(
          'environment',
          `${binary.command} is not installed (stack "${stack.name}" ${role})`,
          `install it: apt-get install -y ${binary.debianPackage} (npm run setup installs every stack's packages)`,
        ),
      )
    }
    const database = typeof stack.database === 'string' ? databaseKinds[stack.database] : undefined
    if (database?.binary && !problems.has(database.name) && !findVersionedBinary(database.binary))
      problems.set(database.name, missingDatabase(database, stack.name))
    if (stack.tls && !find('openssl', profileDir)) {
      problems.set(
        'openssl',
        new BenchError(
          'environment',
          `openssl is not installed (stack "${stack.name}" makes a TLS certificate with it)`,
          'install it: apt-get install -y openssl',
        ),
      )
    }
    const cwd = app ? resolve(profileDir, app.cwd) : undefined
    if (app && cwd && !isFolder(cwd) && !problems.has(cwd)) {
      problems.set(
        cwd,
        new BenchError(
          'environment',
          `the cwd of app "${stack.app}" is not a folder: ${cwd}`,
          `fix apps.${stack.app}.cwd (it is relative to the profile's folder)`,
        ),
      )
    }
    if (
      app?.command !== undefined &&
      !find(app.command, resolve(profileDir, app.cwd)) &&
      !problems.has(app.command)
    ) {
      const pkg = debianPackage[app.command]
      problems.set(
        app.command,
        new BenchError(
          'environment',
          `command "${app.command}" of app "${stack.app}" was not found`,
          pkg
            ? `install it: apt-get install -y ${pkg}`
            : `install it, or fix apps.${stack.app}.command (and cwd) in the profile`,
        ),
      )
    }
  }
  return [...problems.values()]
}
