import type { ResultSet } from '../results/results-file-schema.js'
import { describeSlo } from './describe-slo.js'
import { formatInteger } from './format-number.js'

/** "2026-11-21T17:02:11.418Z" → "2026-11-21 17:02 UTC" (read from the file, never from the clock). */
function describeTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  return match ? `${match[1]} ${match[2]} UTC` : iso
}

/** "29 min" or "45 s": how long the run took. */
function describeDuration(startedAt: string, finishedAt: string | undefined): string {
  if (finishedAt === undefined) return ''
  const ms = Date.parse(finishedAt) - Date.parse(startedAt)
  if (!Number.isFinite(ms) || ms < 0) return ''
  return ms >= 120_000 ? `, ${Math.round(ms / 60_000)} min` : `, ${Math.round(ms / 1000)} s`
}

/**
 * The facts a report opens with, as label/value pairs: what was measured, when, against which SLO,
 * and on what machine — the same for the HTML and the Markdown report.
 */
export function reportFacts(results: ResultSet): [label: string, value: string][] {
  const env = results.environment
  const capacity = results.capacity
  const facts: [string, string][] = [
    ['profile', `${results.profile.name} (${results.profile.file})`],
    [
      'measured',
      `${describeTime(results.startedAt)}${describeDuration(results.startedAt, results.finishedAt)}, ${results.status}`,
    ],
  ]
  if (capacity) {
    facts.push(['SLO', describeSlo(capacity.slo)])
    const sizing = [`headroom: plan at ${Math.round(capacity.headroom * 100)} % of capacity`]
    if (capacity.target !== undefined) sizing.unshift(`target ${formatInteger(capacity.target)} req/s`)
    facts.push(['sizing', sizing.join('; ')])
    if (capacity.searches.length > 0) {
      const from = capacity.startRate === undefined ? '' : `from ${formatInteger(capacity.startRate)} req/s, `
      const upTo = capacity.maxRate === undefined ? '' : ` up to ${formatInteger(capacity.maxRate)} req/s`
      facts.push(['search', `${from}doubling${upTo}, then bisecting to ${capacity.precision} %`])
    }
  }
  facts.push(
    ['CPU', `${env.cpuModel}, ${env.cpuCount} core${env.cpuCount === 1 ? '' : 's'}, ${env.memoryGiB} GiB`],
    ['system', `${env.platform} ${env.kernel}, Node ${env.node}`],
  )
  // "nginx version: nginx/1.22.1" → "1.22.1": the first version number of what the binary printed
  const version = (v: string | null) => (v === null ? 'not found' : (/\d+\.\d+(\.\d+)?/.exec(v)?.[0] ?? v))
  const versions = Object.entries(env.versions)
    .filter(([name]) => name !== 'bench')
    .map(([name, v]) => `${name} ${version(v)}`)
  if (versions.length > 0) facts.push(['versions', versions.join(', ')])
  if (env.gitCommit) facts.push(['commit', env.gitCommit])
  facts.push(['bench', results.tool.version])
  return facts
}
