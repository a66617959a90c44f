import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseAllDocuments } from 'yaml'
import { renderK8sManifests, resultsMarkers } from '../../src/k8s/render-k8s-manifests.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { fixtures, hasStackTrace, runCli, tempDir, waitFor, writeProfile } from './harness.js'

const profile = join(fixtures, 'k8s-profile.yml')

/** The manifests of a 2-agent run of the fixture profile. */
function render() {
  const text = readFileSync(profile, 'utf8')
  const parsed = parseProfile(text, { allowRemote: true, env: {} })
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return renderK8sManifests({
    profileText: text,
    profile: parsed.profile,
    agents: 2,
    image: 'bench:dev',
    namespace: 'default',
    name: 'bench',
    listenPort: 7070,
    agentsTimeout: '5m',
    agentCpu: '2',
    agentMemory: '1Gi',
    token: 'x'.repeat(32),
    configErrorExitCode: 2,
  })
}

describe('bench k8s', () => {
  it('prints five manifests with a fresh random token each time', async () => {
    const args = ['k8s', profile, '--agents', '4', '--image', 'registry.example.com/bench:0.1.0']
    const tokens: string[] = []
    for (let i = 0; i < 2; i++) {
      const result = await runCli(args)
      assert.equal(result.code, 0, result.stderr)
      const docs = parseAllDocuments(result.stdout).map((doc) => doc.toJS())
      assert.deepEqual(
        docs.map((doc) => `${doc.kind}/${doc.metadata.name}`),
        [
          'Secret/bench-token',
          'ConfigMap/bench-profile',
          'Job/bench-coordinator',
          'Service/bench-coordinator',
          'Job/bench-agents',
        ],
      )
      // 32 random bytes in base64, base64-encoded again as a Secret's data is
      const token = Buffer.from(docs[0].data.token, 'base64').toString()
      assert.equal(Buffer.from(token, 'base64').length, 32)
      tokens.push(token)
    }
    assert.notEqual(tokens[0], tokens[1])
  })

  it('a broken profile: exit 2 with its problem, nothing printed', async () => {
    const { file } = writeProfile(
      'name: x\nstacks:\n  - { name: web, url: "http://web:8080/" }\nphases:\n  - { name: p, conections: 4, duration: 5s }\n',
    )
    const result = await runCli(['k8s', file, '--agents', '2', '--image', 'bench:dev'])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /conections/)
    assert.ok(!hasStackTrace(result.stderr), result.stderr)
  })

  it('bad flags: exit 2 naming the flag', async () => {
    const result = await runCli(['k8s', profile, '--agents', '2', '--image', 'bench:dev', '--name', 'Bench'])
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /--name "Bench" is not a Kubernetes name/)
  })
})

/** The flags a command line passes (--x), in order. */
const flagsOf = (words: readonly string[]) => words.filter((word) => word.startsWith('--'))

describe('the flags the manifests pass are the ones bench defines', () => {
  const [, , coordinator, , agents] = render()
  const script = (coordinator.spec?.template.spec?.containers[0]?.command?.[2] ?? '').split('\n')
  const run = script.find((line) => line.startsWith('bench run')) ?? ''
  const agent = agents.spec?.template.spec?.containers[0]?.args ?? []
  const cases: [string, string[]][] = [
    ['run', flagsOf(run.split(' '))],
    ['agent', flagsOf(agent)],
  ]
  for (const [command, flags] of cases) {
    it(`bench ${command}: ${flags.join(' ')}`, async () => {
      assert.ok(flags.length >= 4, flags.join(' '))
      const help = await runCli([command, '--help'])
      assert.equal(help.code, 0, help.stderr)
      for (const flag of flags) assert.match(help.stdout, new RegExp(`(^|[\\s,])${flag}(\\s|$)`, 'm'), flag)
    })
  }
})

describe("the coordinator's script prints the results file between markers, whatever the outcome", () => {
  /** The coordinator's shell script, its /results/ moved to a temp folder, run with a fake `bench` first on PATH. */
  function startScript(fakeBench: string) {
    const dir = tempDir()
    mkdirSync(join(dir, 'bin'))
    writeFileSync(join(dir, 'bin', 'bench'), `#!/bin/sh\n${fakeBench}\n`)
    chmodSync(join(dir, 'bin', 'bench'), 0o755)
    const [, , coordinator] = render()
    const [shell, flag, script] = coordinator.spec?.template.spec?.containers[0]?.command ?? []
    assert.equal(`${shell} ${flag}`, '/bin/sh -c')
    const child = spawn(shell ?? '', [flag ?? '', (script ?? '').replaceAll('/results/', `${dir}/`)], {
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout })),
    )
    return { child, done, results: join(dir, 'results.json') }
  }
  /** The fake bench: writes its --out, then (if told) waits for SIGTERM, which it answers as bench does. */
  const fake = (status: string, code: number, waitForTerm = false) =>
    [
      'while [ $# -gt 0 ]; do [ "$1" = --out ] && out=$2; shift; done',
      'echo "the table"',
      `trap 'kill $s 2>/dev/null; printf "{\\"status\\": \\"interrupted\\"}\\n" > "$out"; exit 130' TERM`,
      waitForTerm ? 'printf "{}\\n" > "$out"; sleep 30 & s=$!; wait $s' : '',
      `printf '{"status": "${status}"}\\n' > "$out"`,
      `exit ${code}`,
    ].join('\n')

  it('bench exits 4: its table, then the file between the markers, and the script exits 4', async () => {
    const { done } = startScript(fake('complete', 4))
    const { code, stdout } = await done
    assert.equal(code, 4)
    assert.equal(
      stdout,
      `the table\n${resultsMarkers.begin}\n{"status": "complete"}\n${resultsMarkers.end}\n`,
    )
  })

  it('SIGTERM (kubectl delete) reaches bench, and the interrupted results still come out', async () => {
    const { child, done, results } = startScript(fake('complete', 0, true))
    await waitFor('the fake bench to write its results', () => existsSync(results), 5000, 20)
    child.kill('SIGTERM')
    const { code, stdout } = await done
    assert.equal(code, 130)
    assert.match(
      stdout,
      new RegExp(`${resultsMarkers.begin}\n\\{"status": "interrupted"\\}\n${resultsMarkers.end}\n$`),
    )
  })

  it('no results file (bench refused its flags): no markers, the exit code kept', async () => {
    const { done } = startScript('echo "bench: bad flag" >&2; exit 2')
    const { code, stdout } = await done
    assert.equal(code, 2)
    assert.equal(stdout, '')
  })
})
