import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { recordsFile } from '../../src/results/records-file.js'
import { resultSetSchema } from '../../src/results/results-file-schema.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { appsYaml, cleanUp, readResults, runCli, waitFor, writeProfile } from './harness.js'

const profile = `name: records
${appsYaml}
stacks:
  - { name: node, app: node }
phases:
  - { name: hello, connections: [4, 5, 6, 7, 8, 9], duration: 1s }
`

/** The step records in a records file so far (whole lines only: a line cut short has no newline yet). */
function stepLines(file: string): number {
  if (!existsSync(file)) return 0
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((line) => (JSON.parse(line) as { kind: string }).kind === 'step').length
}

describe('the records file: a run killed with SIGKILL is reportable up to its last record', () => {
  it('bench run killed mid-run: bench report on the .jsonl reports every recorded step; the watchdog stopped the app', async () => {
    const { file, dir } = writeProfile(profile)
    const out = join(dir, 'results.json')
    const records = recordsFile(out)
    assert.equal(records, join(dir, 'results.jsonl'))
    let recordedAtKill = 0
    const run = await runCli(['run', file, '--out', out], (bench) => {
      void waitFor('a step record in the records file', () => {
        const steps = stepLines(records)
        return steps >= 1 ? steps : undefined
      }).then(() => {
        bench.kill('SIGKILL')
        recordedAtKill = stepLines(records)
      })
    })
    assert.equal(run.signal, 'SIGKILL')
    const results = readResults(records)
    try {
      // killed before the end: the JSON still says "running" and holds only the start; the records hold the steps
      const json = resultSetSchema.parse(JSON.parse(readFileSync(out, 'utf8')))
      assert.equal(json.status, 'running')
      assert.equal(json.trials.length, 0)
      assert.equal(results.status, 'interrupted', 'no run-finished record')
      assert.ok(recordedAtKill >= 1)
      assert.ok(
        results.trials.length >= recordedAtKill && results.trials.length < 6,
        `${results.trials.length}`,
      )
      assert.ok(results.trials.length > 0 && results.trials.every((t) => t.status === 'ok' && t.sample))
      assert.equal(results.stackRuns.length, 1)
      assert.equal(results.stackRuns[0]?.processes.length, 1, 'the node app, recorded as it was spawned')

      const md = join(dir, 'killed.md')
      const report = await runCli(['report', records, '--format', 'md', '--out', md])
      assert.equal(report.code, 0, report.stderr)
      const text = readFileSync(md, 'utf8')
      for (const trial of results.trials) {
        const cell = results.cells.find((c) => c.step === trial.step)
        assert.ok(cell?.stats, `step ${trial.step} has a cell`)
        assert.match(
          text,
          new RegExp(`^\\| node \\| ${trial.connections} \\| [\\d,]+ \\|`, 'm'),
          `step c=${trial.connections} reported`,
        )
      }
      assert.doesNotMatch(text, /^\| node \| 9 \|/m, 'a step never measured is not reported')
      // with no --out, the report of results.jsonl is results.md, as for results.json
      const mdDefault = await runCli(['report', records, '--format', 'md'])
      assert.equal(mdDefault.code, 0, mdDefault.stderr)
      assert.equal(readFileSync(join(dir, 'results.md'), 'utf8'), text.replace(/killed\.md/g, 'results.md'))

      // the history takes the killed run too, from its records (or from the JSON that still says "running")
      const db = join(dir, 'history.sqlite')
      const added = await runCli(['history', 'add', records, '--db', db, '--commit', 'abc'])
      assert.equal(added.code, 0, added.stderr)
      assert.match(added.stderr, new RegExp(`, ${results.cells.length} cells\\n`))
      const again = await runCli(['history', 'add', out, '--db', db])
      assert.match(again.stderr, /already holds records of .*: nothing added/)

      // bench's watchdog stopped the app it started, though bench itself had no chance to
      const pids = results.stackRuns.flatMap((r) => r.processes.map((p) => p.pid))
      await waitFor(
        'every recorded process group to be gone',
        () => (pids.flatMap(groupMembers).length === 0 ? true : undefined),
        5000,
      )
    } finally {
      await cleanUp(results)
    }
  })
})
