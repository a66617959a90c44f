import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { databaseKinds } from '../../src/kinds/database-kinds.js'
import { type ParseOptions, parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { describeStack } from '../../src/report/describe-stack.js'
import { resultsTables } from '../../src/report/results-tables.js'
import { emptyErrorCounts } from '../../src/samples/error-classes.js'
import { LatencyRecorder } from '../../src/samples/latency-histogram.js'
import { summarizeCells } from '../../src/stats/summarize-cells.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'

const apps =
  'apps:\n  node: { command: node, args: [--port, "{port}", --pool, "{pool}"], env: { POOL: "{pool}" } }\n'
const phases = 'phases:\n  - { name: p, connections: 1, duration: 1s }\n'

function parse(stacks: string, options?: ParseOptions) {
  return parseProfile(`name: x\n${apps}stacks:\n${stacks}\n${phases}`, options)
}
function profileOf(stacks: string, options?: ParseOptions): Profile {
  const result = parse(stacks, options)
  if (!result.ok) assert.fail(JSON.stringify(result.issues, null, 2))
  return result.profile
}
/** The one issue of a refused profile: its path (dotted), message and hint. */
function issueOf(stacks: string, options?: ParseOptions) {
  const result = parse(stacks, options)
  assert.equal(result.ok, false, 'expected the profile to be refused')
  if (result.ok) throw new Error('unreachable')
  assert.equal(result.issues.length, 1, JSON.stringify(result.issues, null, 2))
  const issue = result.issues[0] as (typeof result.issues)[number]
  return { path: issue.path.join('.'), message: issue.message, hint: issue.hint, line: issue.line }
}

describe('database:, pool and cpus.database in the profile', () => {
  it('takes sqlite, postgres and { url }, with pool, cpus.database and the {pool} placeholder', () => {
    const profile = profileOf(
      [
        '  - { name: a, app: node, database: sqlite }',
        '  - { name: b, app: node, database: postgres, pool: 16, cpus: { database: 0, app: 1 } }',
        '  - { name: c, app: node, database: { url: "postgresql://bench@127.0.0.1:5432/bench" }, pool: 4 }',
        '  - { name: d, app: node, database: { url: "postgres://me@/bench?host=/run/postgresql" } }',
      ].join('\n'),
    )
    assert.deepEqual(
      profile.stacks.map((s) => s.database),
      [
        'sqlite',
        'postgres',
        { url: 'postgresql://bench@127.0.0.1:5432/bench' },
        { url: 'postgres://me@/bench?host=/run/postgresql' },
      ],
    )
    assert.equal(profile.stacks[1]?.pool, 16)
    assert.deepEqual(profile.stacks[1]?.cpus?.database, [0])
    assert.equal(
      profile.stacks[0]?.pool,
      undefined,
      'the default (10) is applied at start, so a stray pool can be told',
    )
  })

  it('an unknown database kind is named, with the closest kind', () => {
    const issue = issueOf('  - { name: a, app: node, database: postgresql }')
    assert.equal(issue.path, 'stacks.0.database')
    assert.match(issue.message, /must be one of sqlite, postgres \(got "postgresql"\)/)
    assert.match(issue.hint, /did you mean "postgres"\?/)
    assert.equal(issue.line, 5)
  })

  it('a url that is not a URL, or not PostgreSQL, is refused with an example', () => {
    const bad = issueOf('  - { name: a, app: node, database: { url: "bench@localhost/db" } }')
    assert.equal(bad.path, 'stacks.0.database.url')
    assert.match(bad.message, /"bench@localhost\/db" is not a URL/)
    assert.match(bad.hint, /postgresql:\/\/user@127\.0\.0\.1:5432\/bench/)
    const mysql = issueOf('  - { name: a, app: node, database: { url: "mysql://root@127.0.0.1/bench" } }')
    assert.match(mysql.message, /is not a PostgreSQL URL \(it starts with mysql:\/\/\)/)
    const key = parse('  - { name: a, app: node, database: { uri: "postgresql://x@127.0.0.1/b" } }')
    assert.ok(!key.ok)
    const unknown = key.issues.find((i) => i.message === 'unknown key "uri"')
    assert.match(unknown?.hint ?? '', /did you mean "url"\?/)
  })

  it('a database off this machine is refused unless --allow-remote, like a url stack', () => {
    const stacks = '  - { name: a, app: node, database: { url: "postgresql://bench@192.0.2.7:5432/bench" } }'
    const issue = issueOf(stacks)
    assert.equal(issue.path, 'stacks.0.database.url')
    assert.match(issue.message, /the database is on 192\.0\.2\.7, which is not this machine's loopback/)
    assert.match(issue.hint, /--allow-remote/)
    assert.equal(profileOf(stacks, { allowRemote: true }).stacks[0]?.pool, undefined)
    const viaHost = issueOf(
      '  - { name: a, app: node, database: { url: "postgresql://b@/bench?host=db.example" } }',
    )
    assert.match(viaHost.message, /on db\.example/)
  })

  it('pool and cpus.database need a database to apply to; a url stack takes none', () => {
    assert.match(issueOf('  - { name: a, app: node, pool: 8 }').message, /names no database/)
    const lite = issueOf('  - { name: a, app: node, database: sqlite, cpus: { database: 0 } }')
    assert.equal(lite.path, 'stacks.0.cpus.database')
    assert.match(lite.message, /sqlite runs inside the app's process/)
    assert.match(lite.hint, /use database: postgres/)
    assert.match(
      issueOf('  - { name: a, app: node, cpus: { database: 0 } }').message,
      /names no database to pin/,
    )
    assert.match(
      issueOf('  - { name: a, url: "http://127.0.0.1:8080", database: postgres }').message,
      /a url stack is a server that is already running/,
    )
  })

  it('describes the stack with its database', () => {
    const profile = profileOf('  - { name: b, app: node, database: postgres, pool: 16 }')
    assert.equal(
      describeStack(profile.stacks[0] as Profile['stacks'][number]),
      'app node → postgres (pool 16)',
    )
  })
})

describe('the database kinds', () => {
  it('sqlite: a file in its folder, DATABASE_URL sqlite:///absolute/path, no tier of its own', () => {
    const launch = databaseKinds.sqlite.launch({
      dir: '/tmp/d',
      bin: '',
      host: '127.0.0.1',
      port: 0,
      maxConnections: 100,
    })
    assert.equal(launch.url, 'sqlite:///tmp/d/bench.db')
    assert.equal(launch.server, null)
    assert.equal(databaseKinds.sqlite.tier, null)
  })

  it('postgres: initdb with trust on loopback, then the server on its port and socket, max_connections, pg_stat_statements', () => {
    const launch = databaseKinds.postgres.launch({
      dir: '/tmp/p',
      bin: '/usr/lib/postgresql/15/bin',
      host: '127.0.0.1',
      port: 54_321,
      maxConnections: 650,
    })
    assert.equal(launch.url, 'postgresql://bench@127.0.0.1:54321/bench')
    assert.equal(launch.admin, 'postgresql://bench@127.0.0.1:54321/postgres')
    assert.equal(launch.prepare[0]?.command, '/usr/lib/postgresql/15/bin/initdb')
    assert.ok(launch.prepare[0]?.args.includes('--auth=trust'))
    const args = launch.server?.args.join(' ') ?? ''
    for (const setting of [
      'listen_addresses=127.0.0.1',
      'port=54321',
      'unix_socket_directories=/tmp/p',
      'max_connections=650',
      'shared_preload_libraries=pg_stat_statements',
    ])
      assert.ok(args.includes(`-c ${setting}`), setting)
    assert.ok(!/fsync|synchronous_commit/.test(args), "PostgreSQL's durability defaults stay")
  })
})

describe('queries/s in the statistics and the table', () => {
  it('statements and transactions per second (median over trials), statements per 2xx response', () => {
    const recorder = new LatencyRecorder()
    recorder.record(1000)
    const trial = (n: number, statements: number): TrialRecord => ({
      stack: 'pg',
      phase: 'p',
      step: 0,
      loop: 'closed',
      connections: 8,
      pipelining: 1,
      trial: n,
      status: 'ok',
      sample: {
        successes: 1000,
        bytes: 1,
        durationMs: 2000,
        errors: { ...emptyErrorCounts() },
        histogram: recorder.encode(),
      },
      resources: [{ tier: 'postgres', cpuPercent: 40, peakRssMb: 30 }],
      database: { statements, transactions: statements / 20 },
    })
    const [cell] = summarizeCells([trial(0, 20_000), trial(1, 20_400)])
    assert.deepEqual(cell?.stats?.database, {
      queriesPerSec: 10_100,
      transactionsPerSec: 505,
      queriesPerResponse: 20.2,
    })
    const table = resultsTables({ cells: [cell] } as never)[0]
    const column = table?.head.indexOf('queries/s') ?? -1
    assert.equal(column, 3, 'beside req/s')
    assert.equal(table?.rows[0]?.[column], '10,100 (20.2/resp)')
    assert.match(table?.rows[0]?.join(' ') ?? '', /postgres 40% 30MB/)
  })
})
