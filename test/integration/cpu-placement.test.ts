import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { buildPlan } from '../../src/plan/build-plan.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { machineCpus, pinProcess } from '../../src/stacks/pin-process.js'
import { startStack } from '../../src/stacks/start-stack.js'
import { appsYaml, hasStackTrace, runCli, tempDir, writeProfile } from './harness.js'

/** The CPUs a thread (or process) may run on, as the kernel says: /proc/…/status Cpus_allowed_list. */
function allowed(statusFile: string): string {
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(statusFile, 'utf8'))?.[1] ?? '?'
}

const last = machineCpus().length - 1

describe('CPU placement: bench and each tier on CPUs of their own', () => {
  it('pins the proxy and the app to their lists, and every thread of bench to the generator’s', async () => {
    const parsed = parseProfile(
      `name: p\ncpus: { generator: 0 }\n${appsYaml}\nstacks:\n  - { name: s, app: node, proxy: nginx, cpus: { proxy: "${last}", app: [${last}] } }\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
    )
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const { profile } = parsed
    assert.deepEqual(profile.cpus?.generator, [0])
    assert.equal(
      buildPlan(profile, { cpuCount: 8, generatorCpus: [0] }).runs[0]?.steps[0]?.load.generators,
      1,
    )
    const stack = await startStack(
      profile.stacks[0] as NonNullable<(typeof profile.stacks)[0]>,
      profile,
      tempDir(),
    )
    try {
      for (const p of stack.processes) assert.equal(allowed(`/proc/${p.pid}/status`), String(last), p.name)
    } finally {
      await stack.stop()
    }
    pinProcess(process.pid, [0])
    try {
      const threads = readdirSync('/proc/self/task')
      assert.ok(threads.length > 1)
      for (const tid of threads) assert.equal(allowed(`/proc/self/task/${tid}/status`), '0', `thread ${tid}`)
    } finally {
      pinProcess(process.pid, machineCpus())
    }
    assert.equal(allowed('/proc/self/status'), last === 0 ? '0' : `0-${last}`)
  })

  it('refuses a CPU the machine does not have (exit 3) and a list it cannot read (exit 2)', async () => {
    const { file } = writeProfile(
      `name: p\ncpus: { generator: ${last + 5} }\n${appsYaml}\nstacks: [{ name: s, app: node }]\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
    )
    const missing = await runCli(['validate', file])
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(
      missing.stderr,
      new RegExp(`cpus\\.generator names CPU ${last + 5}, but this machine has ${last + 1}`),
    )
    assert.match(missing.stderr, /fix: /)
    const bad = writeProfile(
      `name: p\n${appsYaml}\nstacks: [{ name: s, app: node, cpus: { app: "1-x" } }]\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
    )
    const unreadable = await runCli(['validate', bad.file])
    assert.equal(unreadable.code, 2, unreadable.stderr)
    assert.match(unreadable.stderr, /stacks\[0\]\.cpus\.app: "1-x" is not a CPU list/)
    assert.ok(!hasStackTrace(missing.stderr + unreadable.stderr))
  })
})
