import { join } from 'node:path'
import type { DatabaseKind } from './database-kind.js'

/** The cluster's superuser, as the app connects (trust authentication: a throwaway cluster on loopback). */
const role = 'bench'

/**
 * PostgreSQL from Debian's `postgresql` package (its programs in /usr/lib/postgresql/<version>/bin, the
 * highest version found): `initdb` into the stack's temp folder, then `postgres` in the foreground on a free
 * port of 127.0.0.1 and a Unix socket in that folder, logging to stderr. Settings are PostgreSQL's defaults
 * (fsync and synchronous_commit on) except max_connections, sized for the app's pools, and
 * pg_stat_statements preloaded, from which bench counts the statements of each step.
 */
export const postgresKind = {
  name: 'postgres',
  tier: 'postgres',
  client: 'postgres',
  binary: {
    command: 'postgres',
    commands: ['initdb', 'postgres'],
    debianPackage: 'postgresql',
    versionArgs: ['--version'],
    root: '/usr/lib/postgresql',
    binDir: 'bin',
    rootEnv: 'BENCH_POSTGRESQL_ROOT',
  },
  listens: true,
  dropsRoot: true,
  counts: true,
  launch(input) {
    const data = join(input.dir, 'data')
    return {
      prepare: [
        {
          name: 'initdb',
          command: join(input.bin, 'initdb'),
          // -N: initdb does not fsync the new cluster's files (a throwaway cluster); the server itself keeps fsync on
          args: ['-D', data, '-U', role, '--auth=trust', '--encoding=UTF8', '--locale=C', '-N'],
        },
      ],
      server: {
        name: 'postgres',
        command: join(input.bin, 'postgres'),
        args: [
          '-D',
          data,
          '-c',
          `listen_addresses=${input.host}`,
          '-c',
          `port=${input.port}`,
          '-c',
          `unix_socket_directories=${input.dir}`,
          '-c',
          `max_connections=${input.maxConnections}`,
          '-c',
          'shared_preload_libraries=pg_stat_statements',
          '-c',
          'logging_collector=off',
        ],
      },
      url: `postgresql://${role}@${input.host}:${input.port}/bench`,
      admin: `postgresql://${role}@${input.host}:${input.port}/postgres`,
      database: 'bench',
    }
  },
  // fast shutdown: disconnects its clients, then stops (SIGTERM's smart shutdown would wait for them to leave)
  stopSignal: 'SIGINT',
  stopGraceMs: 10_000,
} as const satisfies DatabaseKind
