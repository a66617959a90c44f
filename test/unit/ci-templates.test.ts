import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { parse } from 'yaml'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8')
const action = read('action.yml')

/** The fenced YAML blocks of a Markdown page. */
const yamlBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string)

interface Step {
  uses?: string
  run?: string
  shell?: string
  if?: string
  with?: Record<string, string>
}

describe('action.yml, the GitHub Action', () => {
  it('is valid against the action metadata schema (and the validator does catch a broken one)', () => {
    assert.deepEqual(validateAction(action).errors, [])
    const noShell = action.replace(/^( {6})shell: bash\n/m, '')
    assert.notEqual(noShell, action)
    assert.ok(validateAction(noShell).errors.length > 0, 'a composite run step without its shell is refused')
    assert.ok(validateAction(action.replace('using: composite', 'using: compost')).errors.length > 0)
  })

  it('takes the profile, the checkouts and what inconclusive does; sets up, gates, uploads, exits as chosen', () => {
    const meta = parse(action) as {
      inputs: Record<string, { required?: boolean; default?: string }>
      runs: { using: string; steps: Step[] }
    }
    assert.equal(meta.runs.using, 'composite')
    assert.equal(meta.inputs.profile?.required, true)
    for (const input of ['baseline', 'candidate', 'baseline-ref', 'packages'])
      assert.ok(meta.inputs[input], input)
    assert.equal(meta.inputs.inconclusive?.default, 'fail')
    const runs = meta.runs.steps.map((s) => s.run ?? '').join('\n')
    assert.match(runs, /npm run setup/)
    assert.match(
      runs,
      /"\$GITHUB_ACTION_PATH\/bench" run "\$PROFILE" --gate --junit "\$out\/bench-gate\.xml"/,
    )
    assert.match(runs, /bench" report "\$out\/results\.json" --out "\$out\/report\.html"/)
    const upload = meta.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    assert.match(upload?.if ?? '', /always\(\)/, 'the artifact is uploaded whatever the verdict')
    const last = meta.runs.steps.at(-1)
    assert.match(last?.run ?? '', /"\$CODE" = 7 \] && \[ "\$INCONCLUSIVE" = neutral/)
    assert.match(last?.run ?? '', /exit "\$CODE"/)
  })

  it('the workflow docs/ci.md shows is a valid workflow that uses it', () => {
    const workflows = yamlBlocks(read('docs/ci.md')).filter((block) => /^on: /m.test(block))
    assert.equal(workflows.length, 1)
    const workflow = workflows[0] as string
    assert.deepEqual(validateWorkflow(workflow).errors, [])
    assert.match(workflow, /uses: OWNER\/bench@main\n\s+with:\n\s+profile: /)
  })
})

/** GitLab CI's documented keywords: https://docs.gitlab.com/ci/yaml/ (global, and of a job). */
const globalKeywords = ['default', 'include', 'stages', 'variables', 'workflow', 'spec']
const jobKeywords = new Set([
  'after_script',
  'allow_failure',
  'artifacts',
  'before_script',
  'cache',
  'coverage',
  'dast_configuration',
  'dependencies',
  'environment',
  'extends',
  'hooks',
  'identity',
  'id_tokens',
  'image',
  'inherit',
  'interruptible',
  'manual_confirmation',
  'needs',
  'pages',
  'parallel',
  'release',
  'resource_group',
  'retry',
  'rules',
  'run',
  'script',
  'secrets',
  'services',
  'stage',
  'tags',
  'timeout',
  'trigger',
  'variables',
  'when',
])
const artifactKeywords = new Set([
  'paths',
  'exclude',
  'expire_in',
  'expose_as',
  'name',
  'public',
  'access',
  'reports',
  'untracked',
  'when',
])
const ruleKeywords = new Set([
  'if',
  'changes',
  'exists',
  'allow_failure',
  'needs',
  'variables',
  'when',
  'interruptible',
])

interface GitlabJob {
  stage?: string
  image?: string
  script?: string[]
  extends?: string
  allow_failure?: boolean | { exit_codes: number[] }
  artifacts?: { when?: string; paths?: string[]; reports?: { junit?: string } }
  rules?: Record<string, unknown>[]
}

describe('ci/gitlab/bench-gate.gitlab-ci.yml, the GitLab CI template', () => {
  const template = parse(read('ci/gitlab/bench-gate.gitlab-ci.yml')) as Record<string, unknown>
  const jobs = Object.entries(template).filter(([key]) => !globalKeywords.includes(key)) as [
    string,
    GitlabJob,
  ][]

  it('has only global keywords and jobs, each job only the keywords GitLab knows', () => {
    assert.deepEqual(
      jobs.map(([name]) => name),
      ['.bench-gate', 'bench-gate'],
    )
    for (const [name, job] of jobs) {
      for (const key of Object.keys(job)) assert.ok(jobKeywords.has(key), `${name}: unknown keyword ${key}`)
    }
    const variables = template.variables as Record<string, unknown>
    for (const [name, value] of Object.entries(variables)) assert.equal(typeof value, 'string', name)
  })

  it('gates merge requests, keeps the report, the JUnit file as the test report, 7 allowed when neutral', () => {
    const job = template['.bench-gate'] as GitlabJob
    assert.equal(template['bench-gate'] && (template['bench-gate'] as GitlabJob).extends, '.bench-gate')
    assert.equal(job.stage, 'test')
    assert.match(job.image ?? '', /^node:20/)
    assert.ok(Array.isArray(job.script) && job.script.every((line) => typeof line === 'string'))
    const script = job.script.join('\n')
    assert.match(script, /npm run setup/)
    assert.match(
      script,
      /"\$bench_dir\/bench" run "\$BENCH_PROFILE" --gate --junit bench-gate\/bench-gate\.xml/,
    )
    assert.match(script, /if \[ "\$code" = 7 \] && \[ "\$BENCH_INCONCLUSIVE" = fail \]/)
    assert.deepEqual(job.allow_failure, { exit_codes: [7] })
    for (const key of Object.keys(job.artifacts ?? {}))
      assert.ok(artifactKeywords.has(key), `artifacts: ${key}`)
    assert.equal(job.artifacts?.when, 'always')
    assert.equal(job.artifacts?.reports?.junit, 'bench-gate/bench-gate.xml')
    assert.ok(job.artifacts?.paths?.includes('bench-gate/'))
    for (const rule of job.rules ?? []) {
      for (const key of Object.keys(rule)) assert.ok(ruleKeywords.has(key), `rules: ${key}`)
    }
    assert.match(String(job.rules?.[0]?.if), /merge_request_event/)
  })
})
