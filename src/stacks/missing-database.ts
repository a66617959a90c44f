import { BenchError } from '../bench-error.js'
import type { DatabaseKind } from '../kinds/database-kind.js'

/** The error of a database kind whose programs are not installed (preflight reports it before anything starts). */
export function missingDatabase(kind: DatabaseKind, stackName: string): BenchError {
  const binary = kind.binary
  const root = binary ? process.env[binary.rootEnv] || binary.root : ''
  return new BenchError(
    'environment',
    `${kind.name} is not installed: no ${binary?.commands.join(' and ')} in ${root}/<version>/${binary?.binDir} (stack "${stackName}" has database: ${kind.name})`,
    `install it: apt-get install -y ${binary?.debianPackage} (npm run setup installs every stack's packages)`,
  )
}
