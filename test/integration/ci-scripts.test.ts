import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { repoRoot } from './harness.js'

/** bash -n: the script parses (nothing is run). */
function bashParses(script: string): void {
  execFileSync('bash', ['-n'], { input: script, encoding: 'utf8' })
}

// the shell scripts of the CI templates (test/unit/ci-templates.test.ts checks their keys): each parses in bash
describe('the CI templates shell scripts', () => {
  it("action.yml: every run step's script parses", () => {
    const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
      runs: { steps: { name?: string; run?: string }[] }
    }
    const scripts = action.runs.steps.filter((s) => s.run)
    assert.ok(scripts.length >= 4)
    for (const step of scripts) assert.doesNotThrow(() => bashParses(step.run as string), step.name)
  })

  it("the GitLab template's script parses", () => {
    const template = parse(readFileSync(join(repoRoot, 'ci/gitlab/bench-gate.gitlab-ci.yml'), 'utf8')) as {
      '.bench-gate': { script: string[] }
    }
    assert.doesNotThrow(() => bashParses(template['.bench-gate'].script.join('\n')))
    assert.throws(() => bashParses('if then fi'), 'bash -n does refuse a broken script')
  })
})
