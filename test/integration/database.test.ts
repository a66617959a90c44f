import assert from 'node:assert/strict'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { FORTUNES, worldRows } from '../../src/database/techempower-data.js'
import { readDatabaseCounters } from '../../src/monitor/read-database-counters.js'
import { startTierSampler } from '../../src/monitor/sample-tiers.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { connectPg } from '../../src/stacks/connect-pg.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { type RunningStack, startStack } from '../../src/stacks/start-stack.js'
import { unprivilegedUser } from '../../src/stacks/unprivileged-user.js'
import {
  cleanUp,
  fixtures,
  hasStackTrace,
  leftoverProcesses,
  readResults,
  runCli,
  tempDir,
  waitFor,
  writeProfile,
} from './harness.js'

const echoApp = `apps:
  echo:
    command: node
    args: [${join(fixtures, 'echo-env.mjs')}, --port, "{port}", --pool, "{pool}"]
    ready: { path: /health, timeout: 2s }
`

function profileOf(stacks: string): Profile {
  const parsed = parseProfile(
    `name: db\n${echoApp}stacks:\n${stacks}\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
  )
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.profile
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = ''
      response.on('data', (c) => {
        body += c
      })
      response.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

/** The real uid a process runs as (/proc/<pid>/status). */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)
  return Number(line?.[1])
}

/** A temp folder for a bench child's TMPDIR, reachable by the unprivileged user PostgreSQL runs as. */
function sharedTmp(): string {
  const dir = tempDir()
  chmodSync(dir, 0o755)
  return dir
}

/** What bench left in a TMPDIR of its own: its database folders, which must all be gone. */
const leftDirs = (dir: string) => readdirSync(dir).filter((name) => /^bench-(postgres|sqlite)-/.test(name))

/**
 * Processes working in `dir` (their cwd, even deleted): PostgreSQL's postmaster and every backend work in its
 * data folder, and a backend is in a session of its own, so a process group check alone would miss it.
 */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)
      } catch {
        return false
      }
    })
    .map(Number)
}

/** Calls `then` once bench's stderr says the stack `name` is ready. */
function onReady(child: { stderr: NodeJS.ReadableStream | null }, name: string, then: () => void) {
  let text = ''
  let done = false
  child.stderr?.on('data', (chunk) => {
    text += chunk
    if (!done && new RegExp(`\\] ${name} \\(trial 1\\) ready in`).test(text)) {
      done = true
      then()
    }
  })
}

describe('PostgreSQL run by bench', () => {
  const profile = profileOf('  - { name: pg, app: echo, database: postgres, pool: 7 }')
  let stack: RunningStack
  before(async () => {
    stack = await startStack(profile.stacks[0] as Profile['stacks'][number], profile, tempDir())
  })
  after(async () => {
    await stack?.stop()
  })

  it("is seeded with TechEmpower's tables: 10,000 World rows and the 12 fortunes", async () => {
    const db = await connectPg(stack.database?.url ?? '')
    try {
      const world = await db.query('SELECT id, randomnumber FROM world ORDER BY id')
      assert.equal(world.length, 10_000)
      assert.deepEqual(
        world.map((r) => [r.id, r.randomnumber]),
        worldRows().map((r) => [r.id, r.randomNumber]),
      )
      const fortunes = await db.query('SELECT id, message FROM fortune ORDER BY id')
      assert.deepEqual(fortunes, FORTUNES)
    } finally {
      await db.end()
    }
  })

  it('gives the app DATABASE_URL postgresql://bench@127.0.0.1:PORT/bench, DATABASE_POOL and {pool}', async () => {
    const env = JSON.parse(await fetchText(`${stack.baseUrl}/env`))
    assert.match(env.url, /^postgresql:\/\/bench@127\.0\.0\.1:\d+\/bench$/)
    assert.equal(env.url, stack.database?.url)
    assert.equal(env.pool, '7')
    assert.deepEqual(env.argv.slice(-2), ['--pool', '7'])
  })

  it('runs as an unprivileged user when bench is root, in a folder of its own', () => {
    const server = stack.database?.process
    assert.ok(server)
    assert.equal(uidOf(server.pid), unprivilegedUser()?.uid ?? process.getuid?.())
    assert.notEqual(uidOf(server.pid), 0)
    assert.ok(existsSync(join(stack.database?.dir ?? '', 'data', 'PG_VERSION')))
  })

  it('counts K statements issued between two reads of its statistics as K', async () => {
    const statistics = stack.database?.statistics
    assert.ok(statistics)
    const db = await connectPg(stack.database?.url ?? '')
    try {
      const before = await readDatabaseCounters(statistics)
      const k = 1000
      for (let i = 0; i < k; i++) await db.query('SELECT randomnumber FROM world WHERE id = $1', [1 + i * 7])
      const after = await readDatabaseCounters(statistics)
      assert.ok(before && after)
      const counted = after.statements - before.statements
      assert.ok(Math.abs(counted - k) <= k * 0.01, `${counted} statements counted for ${k}`)
      assert.equal(counted, k, 'exact: bench reads from another database, so its own reads are not counted')
    } finally {
      await db.end()
    }
  })

  it('is a tier of its own, sampled beside the app', async () => {
    assert.deepEqual(
      stack.tiers.map((t) => t.tier),
      ['app', 'postgres'],
    )
    const sampler = startTierSampler(stack.tiers, 50)
    const db = await connectPg(stack.database?.url ?? '')
    const until = Date.now() + 500
    while (Date.now() < until) await db.query('SELECT count(*) FROM world')
    await db.end()
    const usage = sampler.stop().find((u) => u.tier === 'postgres')
    assert.ok(usage && usage.cpuPercent > 0 && usage.peakRssMb > 1, JSON.stringify(usage))
  })

  it('stops with no process and no folder left', async () => {
    const pid = stack.database?.process?.pid as number
    const dir = stack.database?.dir as string
    await stack.stop()
    assert.deepEqual(groupMembers(pid), [])
    assert.deepEqual(processesIn(dir), [], 'no backend either')
    assert.equal(existsSync(dir), false)
  })
})

describe('SQLite created by bench', () => {
  it('is a seeded file named by DATABASE_URL sqlite:///path, no tier of its own, removed at stop', async () => {
    const profile = profileOf('  - { name: lite, app: echo, database: sqlite }')
    const stack = await startStack(profile.stacks[0] as Profile['stacks'][number], profile, tempDir())
    let file = ''
    try {
      const env = JSON.parse(await fetchText(`${stack.baseUrl}/env`))
      assert.match(env.url, /^sqlite:\/\/\/.+\/bench\.db$/)
      assert.equal(env.pool, '10', 'the default pool')
      file = env.url.slice('sqlite://'.length)
      const db = new Database(file, { readonly: true })
      try {
        assert.equal((db.prepare('SELECT count(*) AS n FROM world').get() as { n: number }).n, 10_000)
        assert.deepEqual(db.prepare('SELECT id, message FROM fortune ORDER BY id').all(), FORTUNES)
      } finally {
        db.close()
      }
      assert.deepEqual(
        stack.tiers.map((t) => t.tier),
        ['app'],
      )
      assert.equal(stack.database?.statistics, undefined)
    } finally {
      await stack.stop()
    }
    assert.equal(existsSync(file), false)
  })
})

describe('bench run with a database: results, faults and interrupts leave nothing behind', () => {
  const stacks = (phase: string) =>
    `name: db\n${echoApp}stacks:\n  - { name: pg, app: echo, database: postgres }\n  - { name: lite, app: echo, database: sqlite }\nphases:\n  - ${phase}\n`

  it('the postgres tier and its counts are in the results; the run stops it and removes its folder', async () => {
    const { file, dir } = writeProfile(
      stacks('{ name: p, connections: 2, duration: 1s, requests: [{ path: /health }] }'),
    )
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(['run', file, '--out', out], undefined, { TMPDIR: tmp })
    const results = readResults(out)
    try {
      assert.equal(result.code, 0, result.stderr)
      const [pg, lite] = results.trials
      assert.deepEqual(
        pg?.resources?.map((r) => r.tier),
        ['app', 'postgres'],
      )
      assert.ok((pg?.resources?.[1]?.peakRssMb ?? 0) > 1)
      assert.deepEqual(pg?.database, { statements: 0, transactions: pg?.database?.transactions ?? -1 })
      assert.deepEqual(
        lite?.resources?.map((r) => r.tier),
        ['app'],
      )
      assert.equal(lite?.database, undefined)
      assert.match(result.stdout, /app \d+% \d+MB \/ postgres \d+% \d+MB/)
      assert.match(result.stdout, /queries\/s/)
      assert.deepEqual(await leftoverProcesses(results), [])
      assert.deepEqual(leftDirs(tmp), [])
      assert.deepEqual(processesIn(tmp), [])
    } finally {
      await cleanUp(results)
    }
  })

  // The queries of a request still in flight when a step ends are counted with no response to show for them
  // (at most connections × queries per request): one connection keeps that edge well below 1 %.
  it('statements per response match what the app ran: 1 and 20 queries per request, within 1 %', async () => {
    const { file, dir } = writeProfile(`name: db
apps:
  q:
    command: node
    args: [${join(fixtures, 'db-queries.mjs')}, --port, "{port}"]
    ready: { path: /health }
stacks:
  - { name: pg, app: q, database: postgres, pool: 4 }
phases:
  - { name: one, connections: 1, duration: 1s, requests: [{ path: "/q?n=1" }] }
  - { name: twenty, connections: 1, duration: 3s, requests: [{ path: "/q?n=20" }] }
`)
    const out = join(dir, 'r.json')
    const result = await runCli(['run', file, '--out', out], undefined, { TMPDIR: sharedTmp() })
    const results = readResults(out)
    try {
      assert.equal(result.code, 0, result.stderr)
      for (const [phase, n] of [
        ['one', 1],
        ['twenty', 20],
      ] as const) {
        const stats = results.cells.find((c) => c.phase === phase)?.stats
        assert.equal(stats?.errorCount, 0)
        const perResponse = stats?.database?.queriesPerResponse ?? 0
        assert.ok(Math.abs(perResponse - n) <= n * 0.01, `${phase}: ${perResponse} statements per response`)
        assert.ok((stats?.database?.queriesPerSec ?? 0) > 0)
      }
      assert.match(result.stdout, /queries\/s/)
      assert.match(result.stdout, /\(20\.\d\/resp\)/)
    } finally {
      await cleanUp(results)
    }
  })

  it('postgres killed mid-phase: that cell fails naming it, its errors counted, the run goes on, nothing is left', async () => {
    // the app queries its database on every request, so a dead postgres shows as errors (500s) in the cell
    const { file, dir } = writeProfile(`name: db
${echoApp}  q:
    command: node
    args: [${join(fixtures, 'db-queries.mjs')}, --port, "{port}"]
    ready: { path: /health }
stacks:
  - { name: pg, app: q, database: postgres }
  - { name: lite, app: echo, database: sqlite }
phases:
  - { name: p, connections: 2, duration: 3s, requests: [{ path: "/q?n=1" }] }
`)
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(
      ['run', file, '--out', out],
      (child) =>
        onReady(child, 'pg', () => {
          const postgres = readResults(out).stackRuns[0]?.processes.find((p) => p.name === 'postgres')
          if (postgres) process.kill(postgres.pid, 'SIGKILL')
        }),
      { TMPDIR: tmp },
    )
    const results = readResults(out)
    try {
      assert.equal(result.code, 4, result.stderr)
      const pg = results.cells.find((c) => c.stack === 'pg')
      assert.equal(pg?.status, 'failed')
      assert.match(pg?.failures[0]?.message ?? '', /^postgres exited during phase "p" \(SIGKILL\)/)
      assert.ok((pg?.stats?.errors.status['500'] ?? 0) > 0, JSON.stringify(pg?.stats?.errors))
      assert.equal(results.cells.find((c) => c.stack === 'lite')?.status, 'ok')
      assert.ok(!hasStackTrace(result.stderr))
      assert.deepEqual(await leftoverProcesses(results), [])
      assert.deepEqual(leftDirs(tmp), [])
      assert.deepEqual(processesIn(tmp), [])
    } finally {
      await cleanUp(results)
    }
  })

  it('bench killed with SIGKILL: its watchdog stops postgres and the app (the temp folder stays: see docs/stacks.md)', async () => {
    const { file, dir } = writeProfile(
      stacks('{ name: p, connections: 2, duration: 20s, requests: [{ path: /health }] }'),
    )
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(
      ['run', file, '--out', out],
      (child) => onReady(child, 'pg', () => child.kill('SIGKILL')),
      { TMPDIR: tmp },
    )
    const results = readResults(out)
    try {
      assert.equal(result.signal, 'SIGKILL')
      assert.ok(results.stackRuns[0]?.processes.some((p) => p.name === 'postgres'))
      assert.deepEqual(
        await waitFor('the watchdog', () => (processesIn(tmp).length === 0 ? [] : undefined), 10_000),
        [],
      )
      assert.deepEqual(await leftoverProcesses(results), [])
    } finally {
      await cleanUp(results)
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('Ctrl-C while postgres serves: exit 130, no postgres process, no folder', async () => {
    const { file, dir } = writeProfile(
      stacks('{ name: p, connections: 2, duration: 20s, requests: [{ path: /health }] }'),
    )
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(
      ['run', file, '--out', out],
      (child) => onReady(child, 'pg', () => child.kill('SIGINT')),
      { TMPDIR: tmp },
    )
    const results = readResults(out)
    try {
      assert.equal(result.code, 130, result.stderr)
      assert.ok(results.stackRuns[0]?.processes.some((p) => p.name === 'postgres'))
      assert.equal(results.trials.length, 0, 'interrupted in the first step of the first stack')
      assert.ok(!hasStackTrace(result.stderr))
      assert.deepEqual(await leftoverProcesses(results), [])
      assert.deepEqual(leftDirs(tmp), [])
      assert.deepEqual(processesIn(tmp), [])
    } finally {
      await cleanUp(results)
    }
  })

  /** A PostgreSQL root whose "postgres" starts but never listens (and an initdb that succeeds). */
  function neverReadyRoot(): string {
    const root = sharedTmp()
    const bin = join(root, '99', 'bin')
    mkdirSync(bin, { recursive: true, mode: 0o755 })
    chmodSync(join(root, '99'), 0o755)
    writeFileSync(join(bin, 'initdb'), '#!/bin/sh\necho "fake initdb: ok"\n', { mode: 0o755 })
    writeFileSync(
      join(bin, 'postgres'),
      '#!/bin/sh\necho "fake postgres: starting, but never listening" >&2\nexec sleep 300\n',
      { mode: 0o755 },
    )
    return root
  }

  it('a database that never answers: the cell fails after ready.timeout quoting its output; nothing is left', async () => {
    const { file, dir } = writeProfile(
      stacks('{ name: p, connections: 1, duration: 1s, requests: [{ path: /health }] }'),
    )
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(['run', file, '--out', out], undefined, {
      TMPDIR: tmp,
      BENCH_POSTGRESQL_ROOT: neverReadyRoot(),
    })
    const results = readResults(out)
    try {
      assert.equal(result.code, 4, result.stderr)
      const failure = results.stackRuns[0]?.failure
      assert.match(
        failure?.message ?? '',
        /^postgres of stack "pg" did not answer SELECT 1 within 2s \(last: ECONNREFUSED/,
      )
      assert.ok(
        failure?.logTail.includes('fake postgres: starting, but never listening'),
        failure?.logTail.join('\n'),
      )
      assert.match(result.stderr, /fake postgres: starting, but never listening/)
      assert.equal(results.cells.find((c) => c.stack === 'lite')?.status, 'ok')
      assert.deepEqual(await leftoverProcesses(results), [])
      assert.deepEqual(leftDirs(tmp), [])
      assert.deepEqual(processesIn(tmp), [])
    } finally {
      await cleanUp(results)
    }
  })

  it('SIGTERM while the database is starting: exit 130, nothing left', async () => {
    const { file, dir } = writeProfile(
      stacks('{ name: p, connections: 1, duration: 1s, requests: [{ path: /health }] }'),
    )
    const tmp = sharedTmp()
    const out = join(dir, 'r.json')
    const result = await runCli(
      ['run', file, '--out', out],
      (child) => {
        void waitFor('postgres spawned', () => {
          if (!existsSync(out)) return undefined
          return readResults(out).stackRuns[0]?.processes.some((p) => p.name === 'postgres')
            ? true
            : undefined
        }).then(
          () => child.kill('SIGTERM'),
          () => child.kill('SIGTERM'),
        )
      },
      { TMPDIR: tmp, BENCH_POSTGRESQL_ROOT: neverReadyRoot() },
    )
    const results = readResults(out)
    try {
      assert.equal(result.code, 130, result.stderr)
      assert.ok(!hasStackTrace(result.stderr))
      assert.deepEqual(await leftoverProcesses(results), [])
      assert.deepEqual(leftDirs(tmp), [])
      assert.deepEqual(processesIn(tmp), [])
    } finally {
      await cleanUp(results)
    }
  })

  it("PostgreSQL not installed → 3 before anything starts, naming Debian's postgresql package", async () => {
    const { file, dir } = writeProfile(stacks('{ name: p, connections: 1, duration: 1s }'))
    const result = await runCli(['run', file, '--out', join(dir, 'r.json')], undefined, {
      BENCH_POSTGRESQL_ROOT: tempDir(),
    })
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      /postgres is not installed: no initdb and postgres in .+\/<version>\/bin \(stack "pg" has database: postgres\)/,
    )
    assert.match(result.stderr, /fix: install it: apt-get install -y postgresql/)
    assert.ok(!hasStackTrace(result.stderr))
    assert.equal(existsSync(join(dir, 'r.json')), false, 'nothing written, nothing started')
  })

  it('a bad database url → 2 with its line: not a URL, not PostgreSQL, off this machine', async () => {
    for (const [url, message] of [
      ['not a url', /"not a url" is not a URL/],
      ['mysql://root@127.0.0.1/bench', /is not a PostgreSQL URL/],
      [
        'postgresql://bench@192.0.2.7/bench',
        /the database is on 192\.0\.2\.7, which is not this machine's loopback/,
      ],
    ] as const) {
      const { file } = writeProfile(
        `name: db\n${echoApp}stacks:\n  - { name: a, app: echo, database: { url: "${url}" } }\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
      )
      const result = await runCli(['validate', file])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, /profile\.yml:8:\d+ {2}stacks\[0\]\.database\.url: /)
      assert.match(result.stderr, message)
      assert.match(result.stderr, /fix: /)
      assert.ok(!hasStackTrace(result.stderr))
    }
  })
})
