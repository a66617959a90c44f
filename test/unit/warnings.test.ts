import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { renderFailures } from '../../src/report/render-failures.js'
import { renderReportMarkdown } from '../../src/report/render-report-markdown.js'
import { reportDocument } from '../../src/report/report-document.js'
import { type ResultSet, resultSetSchema } from '../../src/results/results-file-schema.js'
import { upgradeResultSet } from '../../src/results/upgrade-result-set.js'
import { generatorWarning } from '../../src/stats/generator-warning.js'
import type { TrialRecord } from '../../src/stats/trial-record-schema.js'

const fixture = resultSetSchema.parse(
  upgradeResultSet(
    JSON.parse(readFileSync(new URL('../../../test/fixtures/run-results.json', import.meta.url), 'utf8')),
  ),
)

describe('warnings are data: recorded with their fix, rendered by every report', () => {
  it('a trial whose generator was busy gives a warning naming the stack, the phase and the fix; a calm one none', () => {
    const trial = fixture.trials.find((t) => t.sample?.generator) as TrialRecord
    assert.ok(trial?.sample?.generator)
    const busy = structuredClone(trial)
    const generator = busy.sample?.generator
    assert.ok(generator)
    generator.eventLoopUtilization = 0.97
    const warning = generatorWarning(busy)
    assert.equal(warning?.stack, trial.stack)
    assert.equal(warning?.phase, trial.phase)
    assert.match(warning?.message ?? '', /load generator was busy \(97 % of the time/)
    assert.match(warning?.fix ?? '', /generators: N/)
    const calm = structuredClone(trial)
    if (calm.sample?.generator) calm.sample.generator.eventLoopUtilization = 0.2
    assert.equal(generatorWarning(calm), undefined)
  })

  it('the text after the table, the Markdown and the HTML document list each warning with its fix', () => {
    const results: ResultSet = {
      ...fixture,
      warnings: [{ stack: 'nginx', phase: 'p', message: 'something about the numbers', fix: 'do this' }],
    }
    assert.match(renderFailures(results), /^! nginx: something about the numbers\n {4}fix: do this$/m)
    assert.deepEqual(reportDocument(results).warnings, ['nginx: something about the numbers — fix: do this'])
    assert.match(
      renderReportMarkdown(reportDocument(results)),
      /### Warnings\n\n- ⚠️ nginx: something about the numbers — fix: do this/,
    )
  })
})
