import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { verifyStack } from '../../src/execute/verify-stack.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile, RequestSpec, VerifyKind } from '../../src/profile/schema.js'
import { startStack } from '../../src/stacks/start-stack.js'
import { seedSqlite } from '../seed-sqlite.js'
import { startPostgres, type TestPostgres } from '../start-postgres.js'
import {
  hasStackTrace,
  leftoverProcesses,
  readResults,
  repoRoot,
  runCli,
  tempDir,
  writeProfile,
} from './harness.js'

const server = join(repoRoot, 'apps/node/server.mjs')
const flaskDir = join(repoRoot, 'apps/flask')

/** The reference apps as profile YAML, each told its database in env (none: no DATABASE_URL at all). */
function appYaml(name: string, app: 'node' | 'flask', env: Record<string, string>): string {
  const command =
    app === 'node'
      ? `command: node\n    args: [${server}, --port, "{port}"]\n    workerArgs: [--workers, "{workers}", --sched, rr]`
      : `command: gunicorn\n    args: [--chdir, ${flaskDir}, -b, "127.0.0.1:{port}", app:app]\n    workerArgs: [-w, "{workers}"]`
  return `  ${name}:\n    ${command}\n    env: ${JSON.stringify(env)}\n    ready: { path: /health }\n`
}

const cases = ['2', '0', 'foo', '', '501', '20']
/** Every endpoint, with TechEmpower's clamping cases for queries and updates (and a missing queries). */
const everyEndpoint: RequestSpec[] = [
  ['/db', 'db'],
  ['/queries', 'queries'],
  ...cases.map((q) => [`/queries?queries=${q}`, 'queries']),
  ['/fortunes', 'fortunes'],
  ['/updates', 'updates'],
  ...cases.map((q) => [`/updates?queries=${q}`, 'updates']),
  ['/json', 'json'],
].map(([path, verify]) => ({
  method: 'GET',
  path: path as string,
  headers: {},
  weight: 1,
  verify: verify as VerifyKind,
}))

let dir = ''
let sqliteFile = ''
let postgres: TestPostgres
let profile: Profile

const databases = () => ({
  sqlite: { DATABASE_URL: `sqlite://${sqliteFile}` },
  postgres: { DATABASE_URL: postgres.url, DATABASE_POOL: '4' },
  'postgres-socket': { DATABASE_URL: postgres.socketUrl },
  none: {},
  unreachable: { DATABASE_URL: 'postgresql://bench@127.0.0.1:1/bench' },
  'bad-url': { DATABASE_URL: 'mysql://bench@127.0.0.1/bench' },
})

before(async () => {
  dir = tempDir()
  sqliteFile = join(dir, 'bench.db')
  seedSqlite(sqliteFile)
  postgres = await startPostgres()
  const apps = Object.entries(databases()).flatMap(([db, env]) =>
    (['node', 'flask'] as const).map((app) => appYaml(`${app}-${db}`, app, env)),
  )
  const stacks = Object.keys(databases()).flatMap((db) => [
    `  - { name: node-${db}, app: node-${db} }`,
    `  - { name: flask-${db}, app: flask-${db} }`,
  ])
  stacks.push('  - { name: node-cluster-postgres, app: node-postgres, workers: 2 }')
  const text = `name: db-apps\napps:\n${apps.join('')}stacks:\n${stacks.join('\n')}\nphases: [{ name: p, connections: 1, duration: 1s }]\n`
  const parsed = parseProfile(text)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  profile = parsed.profile
})

after(async () => {
  await postgres?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Starts stack `name`, runs `body` on it, stops it whatever happens. */
async function withStack(
  name: string,
  body: (baseUrl: string, verify: (r: RequestSpec[]) => Promise<void>) => Promise<void>,
) {
  const spec = profile.stacks.find((s) => s.name === name)
  assert.ok(spec, name)
  const stack = await startStack(spec, profile, dir)
  try {
    await body(stack.baseUrl, (requests) => verifyStack(stack, requests))
  } finally {
    await stack.stop()
  }
}

/** Every World row's randomNumber, by id. */
async function worldTable(db: 'sqlite' | 'postgres'): Promise<Map<number, number>> {
  if (db === 'postgres') {
    const rows = await postgres.query<{ id: number; randomnumber: number }>(
      'SELECT id, randomnumber FROM world',
    )
    return new Map(rows.map((r) => [r.id, r.randomnumber]))
  }
  const sqlite = new Database(sqliteFile, { readonly: true })
  try {
    const rows = sqlite.prepare('SELECT id, randomnumber FROM world').all() as {
      id: number
      randomnumber: number
    }[]
    return new Map(rows.map((r) => [r.id, r.randomnumber]))
  } finally {
    sqlite.close()
  }
}

describe('the reference apps on a real SQLite file and a real PostgreSQL', () => {
  for (const app of ['node', 'flask']) {
    for (const db of ['sqlite', 'postgres'] as const) {
      it(`${app} on ${db}: every endpoint passes verification (queries=2, 0, foo, empty, 501, missing) and /updates writes its rows`, async () => {
        await withStack(`${app}-${db}`, async (baseUrl, verify) => {
          await verify(everyEndpoint)
          const hello = await fetch(`${baseUrl}/`)
          assert.equal(await hello.text(), 'hello world\n', 'the other endpoints still work')

          const before = await worldTable(db)
          const response = await fetch(`${baseUrl}/updates?queries=20`)
          const rows = (await response.json()) as { id: number; randomNumber: number }[]
          const after = await worldTable(db)
          assert.equal(rows.length, 20)
          const answered = new Map<number, number[]>()
          for (const row of rows) answered.set(row.id, [...(answered.get(row.id) ?? []), row.randomNumber])
          for (const [id, values] of answered) {
            assert.ok(
              values.includes(after.get(id) as number),
              `row ${id} holds ${after.get(id)}, answered ${values}`,
            )
          }
          const changed = [...after].filter(([id, value]) => before.get(id) !== value).map(([id]) => id)
          assert.ok(
            changed.every((id) => answered.has(id)),
            'only the rows answered changed',
          )
          // a new random number equals the old one 1 time in 10,000: allow one such row
          assert.ok(changed.length >= answered.size - 1, `${changed.length} of ${answered.size} rows changed`)
          if (db === 'postgres') {
            // the app keeps its connections: 20 more requests one after another open none
            const backends = async () =>
              (
                await postgres.query<{ pid: number }>(
                  "SELECT pid FROM pg_stat_activity WHERE datname = 'bench' AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                )
              ).map((r) => r.pid)
            await (await fetch(`${baseUrl}/db`)).text()
            const first = await backends()
            for (let i = 0; i < 20; i++) await (await fetch(`${baseUrl}/db`)).text()
            const later = await backends()
            assert.ok(later.length > 0 && later.every((pid) => first.includes(pid)), `${first} then ${later}`)
          }
        })
      })
    }
  }

  it('both apps reach PostgreSQL over its Unix socket (host= and port= in the URL); Node cluster ×2 keeps a pool per worker', async () => {
    const some = everyEndpoint.filter((r) =>
      ['/db', '/queries?queries=20', '/fortunes', '/updates?queries=2'].includes(r.path),
    )
    for (const name of ['node-postgres-socket', 'flask-postgres-socket', 'node-cluster-postgres']) {
      await withStack(name, async (_baseUrl, verify) => verify(some))
    }
  })

  it('without DATABASE_URL the apps start, serve the rest, and the database endpoints answer 503 with the fix', async () => {
    for (const app of ['node', 'flask']) {
      await withStack(`${app}-none`, async (baseUrl, verify) => {
        assert.equal(
          await (await fetch(`${baseUrl}/json`)).text(),
          '{"message":"hello world","items":[1,2,3]}',
        )
        for (const path of ['/db', '/queries', '/fortunes', '/updates']) {
          const response = await fetch(`${baseUrl}${path}`)
          assert.equal(response.status, 503)
          assert.equal(
            await response.text(),
            'no database: start the app with DATABASE_URL set (sqlite:///path or postgresql://...)\n',
          )
        }
        await assert.rejects(verify(everyEndpoint.slice(0, 1)), {
          message: `stack "${app}-none": /db answered 503 (no database: start the app with DATABASE_URL set (sqlite:///path or postgresql://...)), expected 200 (verify: db)`,
        })
      })
    }
  })

  it('an app that cannot reach its database fails verification with the database error, quoting its log', async () => {
    for (const app of ['node', 'flask']) {
      await withStack(`${app}-unreachable`, async (_baseUrl, verify) => {
        const error = await verify(everyEndpoint.slice(2)).then(
          () => assert.fail('verification passed'),
          (e: Error & { logTail: string[] }) => e,
        )
        assert.match(
          error.message,
          new RegExp(
            `^stack "${app}-unreachable": /queries\\?queries=2 answered 500 \\(database error: .*(ECONNREFUSED|refused).*\\), expected 200 \\(verify: queries\\)$`,
          ),
        )
        assert.ok(
          error.logTail.some((line) => line.includes(`${app} app: database error:`)),
          error.logTail.join('\n'),
        )
      })
    }
  })

  it('a DATABASE_URL of another scheme stops the app at start with one line naming it', async () => {
    for (const app of ['node', 'flask']) {
      const spec = profile.stacks.find((s) => s.name === `${app}-bad-url`)
      assert.ok(spec)
      const error = await startStack(spec, profile, dir).then(
        () => assert.fail('the app started'),
        (e: Error & { logTail: string[] }) => e,
      )
      assert.match(error.message, /exited at start/)
      assert.ok(
        error.logTail.includes(
          `${app} app: DATABASE_URL must be sqlite:///absolute/path or postgresql://user@host:port/db (got mysql:...)`,
        ),
        error.logTail.join('\n'),
      )
    }
  })

  it('bench run: a stack that fails verification fails its cells with the reason (exit 4), the others are measured', async () => {
    const { file, dir: runDir } = writeProfile(`name: verify-run
apps:
${appYaml('good', 'node', databases().sqlite)}${appYaml('nodb', 'node', {})}
stacks:
  - { name: node-sqlite, app: good }
  - { name: node-nodb, app: nodb }
phases:
  - name: db
    connections: 2
    duration: 1s
    requests: [{ path: /db, verify: db }, { path: "/queries?queries=20", verify: queries }]
`)
    const out = join(runDir, 'results.json')
    const result = await runCli(['run', file, '--out', out])
    assert.equal(result.code, 4, result.stderr)
    const message =
      'stack "node-nodb": /db answered 503 (no database: start the app with DATABASE_URL set (sqlite:///path or postgresql://...)), expected 200 (verify: db)'
    assert.ok(`${result.stdout}${result.stderr}`.includes(message), result.stderr)
    assert.equal(hasStackTrace(result.stderr), false)
    const results = readResults(out)
    const cell = (stack: string) => results.cells.find((c) => c.stack === stack)
    assert.equal(cell('node-sqlite')?.status, 'ok')
    assert.ok((cell('node-sqlite')?.stats?.reqPerSec ?? 0) > 10)
    assert.equal(cell('node-nodb')?.status, 'failed')
    assert.equal(results.trials.find((t) => t.stack === 'node-nodb')?.failure?.message, message)
    assert.deepEqual(await leftoverProcesses(results), [])
  })
})
