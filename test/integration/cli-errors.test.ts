import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  appsYaml,
  fixtures,
  hasStackTrace,
  leftoverProcesses,
  readResults,
  runCli,
  tempDir,
  writeProfile,
} from './harness.js'

const phases = 'phases:\n  - { name: hello, connections: 2, duration: 1s }\n'

/** Runs bench, expects `code`, one short message naming `cause` and a fix, and no stack trace. */
async function expectFailure(args: string[], code: number, cause: RegExp) {
  const result = await runCli(args)
  assert.equal(result.code, code, `exit code; stderr:\n${result.stderr}`)
  assert.match(result.stderr, cause)
  assert.match(result.stderr, /fix: /)
  assert.ok(!hasStackTrace(result.stderr), `stack trace in:\n${result.stderr}`)
  return result
}

describe('bad input gets one clear message, a documented exit code and nothing left running', () => {
  it('malformed YAML → 2 with file:line', async () => {
    const { file } = writeProfile('name: x\nstacks: [\n')
    await expectFailure(['run', file], 2, /profile\.yml:\d+:\d+ {2}malformed YAML/)
  })

  it('a profile with several mistakes → 2, all of them listed with their lines', async () => {
    const { file } = writeProfile(
      `name: x\n${appsYaml}\nstacks:\n  - { name: a, app: node, workers: 0 }\n  - { name: b, app: node, proxy: ngnix }\nphases:\n  - { name: p, conections: 5, duration: 1s }\n`,
    )
    const result = await expectFailure(['validate', file], 2, /has 3 problems/)
    assert.match(result.stderr, /profile\.yml:\d+:\d+ {2}stacks\[0\]\.workers: must be at least 1 \(got 0\)/)
    assert.match(
      result.stderr,
      /stacks\[1\]\.proxy: must be one of nginx, haproxy, apache \(got "ngnix"\)\n {4}fix: did you mean "nginx"\?/,
    )
    assert.match(
      result.stderr,
      /phases\[0\]\.conections: unknown key "conections"\n {4}fix: did you mean "connections"\?/,
    )
  })

  it('a missing profile file → 2', async () => {
    await expectFailure(
      ['run', '/nonexistent/profile.yml'],
      2,
      /cannot read profile \/nonexistent\/profile\.yml: no such file/,
    )
  })

  it('an unknown flag → 2', async () => {
    await expectFailure(
      ['run', 'profiles/quick.yml', '--duration', '5'],
      2,
      /-d\/--duration sets the load of a one-line run \(bench <url> or bench run --url\), not of a profile/,
    )
  })

  it('a url stack off this machine is refused → 2, unless --allow-remote', async () => {
    const { file } = writeProfile(
      `name: x\nstacks:\n  - { name: far, url: "http://192.0.2.10:8080" }\n${phases}`,
    )
    await expectFailure(['validate', file], 2, /targets 192\.0\.2\.10, which is not this machine's loopback/)
    const allowed = await runCli(['validate', file, '--allow-remote'])
    assert.equal(allowed.code, 0, allowed.stderr) // validation only: nothing is sent anywhere
  })

  it('a missing binary → 3 before anything starts', async () => {
    const { file, dir } = writeProfile(
      `name: x\napps:\n  ghost:\n    command: definitely-not-installed-bench\n    args: ["{port}"]\nstacks:\n  - { name: a, app: ghost }\n${phases}`,
    )
    await expectFailure(
      ['run', file, '--out', join(dir, 'r.json')],
      3,
      /command "definitely-not-installed-bench" of app "ghost" was not found/,
    )
    assert.ok(!existsSync(join(dir, 'r.json')), 'nothing written')
  })

  it("a server kind's missing binary → 3, naming its Debian packages", async () => {
    // uwsgi lives in /usr/bin, which this PATH lacks (bench also looks in the sbin folders, where nginx is)
    const { file } = writeProfile(
      `name: x\napps:\n  flask: { kind: uwsgi, module: "app:app" }\nstacks:\n  - { name: s, app: flask, proxy: nginx }\n${phases}`,
    )
    const result = await runCli(['validate', file], undefined, { PATH: tempDir() })
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /uwsgi is not installed \(stack "s" runs app "flask" with it\)/)
    assert.match(result.stderr, /fix: install it: apt-get install -y uwsgi uwsgi-plugin-python3/)
    assert.ok(!hasStackTrace(result.stderr))
  })

  it('an app whose cwd is not a folder → 3 before anything starts', async () => {
    const { file, dir } = writeProfile(
      `name: x\napps:\n  lost:\n    command: node\n    args: [server.mjs, --port, "{port}"]\n    cwd: no-such-folder\nstacks:\n  - { name: a, app: lost }\n${phases}`,
    )
    await expectFailure(
      ['run', file, '--out', join(dir, 'r.json')],
      3,
      /the cwd of app "lost" is not a folder: .*no-such-folder/,
    )
    assert.ok(!existsSync(join(dir, 'r.json')))
  })

  it('a fixed port that is taken → 3 before anything starts', async () => {
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    try {
      const { file, dir } = writeProfile(
        `name: x\n${appsYaml}\nstacks:\n  - { name: a, app: node, port: ${port} }\n${phases}`,
      )
      await expectFailure(
        ['run', file, '--out', join(dir, 'r.json')],
        3,
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 \\(stack "a"\\) is already in use`),
      )
      assert.ok(!existsSync(join(dir, 'r.json')))
    } finally {
      holder.close()
    }
  })

  it('an app that exits at start → 4, quoting its last output', async () => {
    const { file, dir } = writeProfile(
      `name: x\napps:\n  crash:\n    command: node\n    args: [-e, "console.error('boom: no database'); process.exit(7)"]\n    env: { PORT: "{port}" }\nstacks:\n  - { name: a, app: crash }\n${phases}`,
    )
    const out = join(dir, 'r.json')
    const result = await expectFailure(
      ['run', file, '--out', out],
      4,
      /app "crash" exited at start \(code 7\)/,
    )
    assert.match(result.stderr, /boom: no database/)
    assert.deepEqual(await leftoverProcesses(readResults(out)), [])
  })

  it('an app that never gets ready → 4 after its ready timeout, and it is stopped', async () => {
    const { file, dir } = writeProfile(
      `name: x\napps:\n  stuck:\n    command: node\n    args: [${join(fixtures, 'never-ready.mjs')}, --port, "{port}"]\n    ready: { path: /health, timeout: 1s }\nstacks:\n  - { name: a, app: stuck }\n${phases}`,
    )
    const out = join(dir, 'r.json')
    await expectFailure(
      ['run', file, '--out', out],
      4,
      /app "stuck" did not answer 200 at http:\/\/127\.0\.0\.1:\d+\/health within 1s \(last: status 503\)/,
    )
    const results = readResults(out)
    assert.equal(results.stackRuns[0]?.processes.length, 1)
    assert.deepEqual(await leftoverProcesses(results), [])
  })

  it('validate says valid and plan prints the plan, both exit 0 and start nothing', async () => {
    const valid = await runCli(['validate', 'profiles/high-concurrency.yml'])
    assert.equal(valid.code, 0, valid.stderr)
    assert.match(valid.stdout, /valid/)
    const plan = await runCli(['plan', 'profiles/high-concurrency.yml'])
    assert.equal(plan.code, 0, plan.stderr)
    assert.match(plan.stdout, /7 stack runs, 21 measured steps, 1 trial\(s\), about [23]m\d+s/)
    assert.match(plan.stdout, /nginx-node-x2: nginx → app node ×2 instances/)
  })

  it('plan describes what bench capacity would run for a profile with slo: or scaling:', async () => {
    const search = await runCli(['plan', 'profiles/capacity.yml'])
    assert.equal(search.code, 0, search.stderr)
    assert.match(search.stdout, /^bench capacity "capacity": about \d+m\d+s–\d+m\d+s on a quiet machine/)
    assert.match(search.stdout, /SLO search \(p99 ≤ 50 ms, errors ≤ 0\.1 %\) on 6 stack\(s\)/)
    assert.match(search.stdout, / {5}1,000 req\/s: 10 steps, about \d+s\n/)
    assert.match(search.stdout, /at most 40 steps/)
    assert.match(search.stdout, /bench run on it instead: profile "capacity": 6 stack runs/)
    const sweep = await runCli(['plan', 'profiles/workers-scaling.yml'])
    assert.equal(sweep.code, 0, sweep.stderr)
    assert.match(sweep.stdout, /scaling sweep: node-cluster, gunicorn at workers 1, 2, 3, 4, 6, 8/)
    assert.match(sweep.stdout, /36 stack runs, 36 measured steps, 3 trial\(s\)/)
    assert.match(sweep.stdout, /gunicorn-w8: app flask \(8 workers\)/)
  })
})
