import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { recordsFile } from '../../src/results/records-file.js'
import type { ResultSet } from '../../src/results/results-file-schema.js'
import type { RunRecord } from '../../src/results/run-record-schema.js'
import { groupMembers, stopProcessGroup } from '../../src/stacks/process-group.js'
import { processStartTime } from '../../src/watchdog/process-start-time.js'
import {
  appsYaml,
  cleanUp,
  membersLeft,
  readResults,
  repoRoot,
  runCli,
  waitFor,
  writeProfile,
} from './harness.js'

const watchdogJs = join(repoRoot, 'dist/src/watchdog/watchdog-main.js')

/** A process group of our own: a leader that idles, and a child of it, both in the leader's group. */
function startGroup(): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)",
    ],
    { detached: true, stdio: 'ignore' },
  )
  child.unref()
  return child
}

/** The pids whose parent is `ppid` (from /proc/<pid>/stat). */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('the watchdog, driven directly', () => {
  const watch = (groups: { pid: number; startTime: number | undefined }[], bye: boolean) =>
    new Promise<void>((resolve) => {
      const watchdog = spawn(process.execPath, [watchdogJs], { stdio: ['pipe', 'ignore', 'ignore'] })
      for (const g of groups) watchdog.stdin.write(`${JSON.stringify({ track: { name: 'test', ...g } })}\n`)
      watchdog.stdin.end(bye ? 'bye\n' : '') // the pipe closes: with "bye" bench ended cleanly, without it bench died
      watchdog.on('exit', () => resolve())
    })

  it('stops each recorded group, children included, when the pipe closes without "bye"', async () => {
    const group = startGroup()
    const pid = group.pid as number
    await waitFor('the group leader and its child', () => (groupMembers(pid).length === 2 ? true : undefined))
    await watch([{ pid, startTime: processStartTime(pid) }], false)
    assert.deepEqual(await membersLeft([pid], 1000), [])
  })

  it('leaves everything alone after "bye", and a pid whose start time differs', async () => {
    const kept = startGroup()
    const other = startGroup()
    const [a, b] = [kept.pid as number, other.pid as number]
    try {
      await waitFor('both groups', () =>
        groupMembers(a).length === 2 && groupMembers(b).length === 2 ? true : undefined,
      )
      await watch([{ pid: a, startTime: processStartTime(a) }], true)
      await watch([{ pid: b, startTime: (processStartTime(b) ?? 0) + 1 }], false) // as if the pid were reused
      assert.equal(groupMembers(a).length, 2, 'stopped despite "bye"')
      assert.equal(groupMembers(b).length, 2, 'stopped a process that is not the one recorded')
    } finally {
      await stopProcessGroup(a, 1000)
      await stopProcessGroup(b, 1000)
    }
  })
})

const profile = `name: watchdog
${appsYaml}
stacks:
  - { name: nginx-node, app: node, proxy: nginx }
phases:
  - { name: hello, connections: [5, 5, 5], duration: 2s }
`

/** Starts bench run, and calls `kill` mid-phase: once the first of the phase's three steps is in the results file. */
async function runUntilMeasuring(
  kill: (bench: ChildProcess, results: ResultSet) => void,
): Promise<{ results: ResultSet; out: string }> {
  const { file, dir } = writeProfile(profile)
  const out = join(dir, 'results.json')
  await runCli(['run', file, '--out', out], (bench) => {
    void waitFor('the first step measured', () => {
      if (!existsSync(out)) return undefined
      const results = readResults(out) // a run still going: read from its records
      return results.trials.length >= 1 ? results : undefined
    }).then((results) => kill(bench, results))
  })
  return { results: readResults(out), out }
}

describe('nothing survives bench', () => {
  it('bench killed with SIGKILL mid-phase: the watchdog stops every process it started within seconds', async () => {
    let aliveAtKill: number[] = []
    const { results } = await runUntilMeasuring((bench, seen) => {
      aliveAtKill = seen.stackRuns.flatMap((r) => r.processes).flatMap((p) => groupMembers(p.pid))
      bench.kill('SIGKILL')
    })
    try {
      const pids = results.stackRuns.flatMap((r) => r.processes.map((p) => p.pid))
      assert.equal(pids.length, 2, 'nginx and the node app were recorded')
      assert.ok(aliveAtKill.length >= 3, `nginx (master and workers) and node were running: ${aliveAtKill}`)
      assert.ok(
        results.stackRuns.every((r) => r.processes.every((p) => p.startTime !== undefined)),
        'each recorded with its start time',
      )
      const killedAt = Date.now()
      assert.deepEqual(await membersLeft(pids, 5000), [], 'processes left 5 s after the kill')
      process.stdout.write(
        `# SIGKILL of bench: ${aliveAtKill.length} processes stopped ${Date.now() - killedAt} ms after\n`,
      )
    } finally {
      await cleanUp(results)
    }
  })

  it('bench clean stops what a run left when its watchdog died too, and only that', async () => {
    const { results, out: file } = await runUntilMeasuring((bench, seen) => {
      // bench's one child that is not a recorded stack process: the watchdog it started
      const recorded = new Set(seen.stackRuns.flatMap((r) => r.processes.map((p) => p.pid)))
      const others = childrenOf(bench.pid as number).filter((pid) => !recorded.has(pid))
      assert.equal(others.length, 1, `bench's children besides its stack: ${others}`)
      const watchdog = others[0]
      const cmdline = watchdog ? readFileSync(`/proc/${watchdog}/cmdline`, 'utf8') : ''
      assert.ok(cmdline.includes('watchdog-main.js'), `bench's watchdog child: ${cmdline}`)
      process.kill(watchdog as number, 'SIGKILL')
      bench.kill('SIGKILL')
    })
    const pids = results.stackRuns.flatMap((r) => r.processes.map((p) => p.pid))
    const bystander = startGroup()
    const bystanderPid = bystander.pid as number
    try {
      await waitFor('the bystander group', () => (groupMembers(bystanderPid).length === 2 ? true : undefined))
      assert.ok(
        pids.flatMap(groupMembers).length >= 3,
        'with bench and its watchdog killed, the stack lives on',
      )
      // the run's records also name a process that is not bench's (another start time) and one of an older bench
      const edited: RunRecord[] = [
        { kind: 'stack-started', stack: 'edited', trial: 0 },
        {
          kind: 'process-spawned',
          stack: 'edited',
          trial: 0,
          name: 'bystander',
          pid: bystanderPid,
          startTime: (processStartTime(bystanderPid) ?? 0) + 1,
        },
        { kind: 'process-spawned', stack: 'edited', trial: 0, name: 'old', pid: bystanderPid },
      ]
      appendFileSync(recordsFile(file), edited.map((r) => `${JSON.stringify(r)}\n`).join(''))

      const cleaned = await runCli(['clean', file])
      assert.equal(cleaned.code, 0, cleaned.stderr)
      assert.match(cleaned.stdout, /bench clean: .*results\.json \(running, 4 processes recorded\)/)
      assert.match(cleaned.stdout, /nginx \(pid \d+\): stopped/)
      assert.match(cleaned.stdout, /app "node" \(pid \d+\): stopped/)
      assert.match(
        cleaned.stdout,
        /bystander \(pid \d+\): the pid now belongs to another process: left alone/,
      )
      assert.match(cleaned.stdout, /old \(pid \d+\): recorded without a start time/)
      assert.deepEqual(pids.flatMap(groupMembers), [], 'bench clean returns once they are gone')
      assert.equal(groupMembers(bystanderPid).length, 2, 'a process that is not bench’s is left alone')

      const again = await runCli(['clean', file])
      assert.match(again.stdout, /nginx \(pid \d+\): already gone/)
    } finally {
      await cleanUp(results)
      await stopProcessGroup(bystanderPid, 1000)
    }
  })
})
