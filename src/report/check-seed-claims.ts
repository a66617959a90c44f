import { stepLabel } from '../plan/step-label.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { CellStats } from '../stats/cell-stats-schema.js'
import type { CellRecord } from '../stats/trial-record-schema.js'
import { cellP99 } from './cell-p99.js'
import { citeCell } from './cite-cell.js'
import { compareShare } from './compare-share.js'
import type { Finding } from './finding.js'
import { formatInteger, formatMs, formatPercent } from './format-number.js'
import { noiseShare } from './noise-share.js'
import { pairProxiedStacks } from './pair-proxied-stacks.js'

type Measured = CellRecord & { stats: CellStats }
const measured = (c: CellRecord | undefined): c is Measured => c?.stats !== undefined

const cellsOf = (results: ResultSet, stack: string, phase: string) =>
  results.cells
    .filter((c) => c.stack === stack && c.phase === phase)
    .filter(measured)
    .sort((a, b) => a.step - b.step)

const appCpu = (stats: CellStats) => stats.resources.find((r) => r.tier === 'app')?.cpuPercent
const summary = (c: Measured) =>
  `${formatInteger(c.stats.reqPerSec)} req/s, p99 ${formatMs(cellP99(c.stats))} ms, ${formatPercent(c.stats.errorPercent)} % errors`

/** Normal clients are tied up when a tenth of their requests fail, or p99 grows tenfold over the calm phase. */
const tiedUp = (c: Measured, calm: Measured | undefined) =>
  c.stats.errorPercent >= 10 ||
  (calm !== undefined && (cellP99(c.stats) ?? Infinity) >= 10 * (cellP99(calm.stats) ?? Infinity))

/** Claim 4, profiles/slow-clients.yml: slow clients tie up gunicorn alone; nginx in front protects it. */
function slowClients(results: ResultSet): Finding[] {
  const slowPhases = [...new Set(results.cells.filter((c) => c.stats?.slowClients).map((c) => c.phase))]
  const calmPhase = results.cells.find((c) => c.stats && !c.stats.slowClients && !c.stats.idle)?.phase
  const pairs = pairProxiedStacks(results)
  if (slowPhases.length === 0 || pairs.length === 0) return []
  const cited: string[] = []
  const lines = pairs.map(({ proxied, direct }) => {
    const outcome = slowPhases.flatMap((phase) => {
      const d = cellsOf(results, direct, phase)[0]
      const p = cellsOf(results, proxied, phase)[0]
      if (!d || !p) return []
      cited.push(citeCell(d), citeCell(p))
      const calmD = calmPhase ? cellsOf(results, direct, calmPhase)[0] : undefined
      const calmP = calmPhase ? cellsOf(results, proxied, calmPhase)[0] : undefined
      return [{ phase, d, p, directTied: tiedUp(d, calmD), proxiedTied: tiedUp(p, calmP) }]
    })
    const shown = outcome.filter((o) => o.directTied && !o.proxiedTied)
    const worst = (key: 'd' | 'p') =>
      outcome.reduce(
        (a, o) => (o[key].stats.errorPercent > a[key].stats.errorPercent ? o : a),
        outcome[0] as (typeof outcome)[0],
      )[key]
    const text =
      outcome.length === 0
        ? ''
        : shown.length > 0
          ? `${direct} alone is tied up under ${shown.map((o) => `${o.phase} (${summary(o.d)})`).join(', ')}, while ${proxied} is not (at worst ${summary(worst('p'))})`
          : outcome.some((o) => o.directTied)
            ? `${direct} alone is tied up, but so is ${proxied} (${outcome.map((o) => `${o.phase}: ${summary(o.p)}`).join('; ')})`
            : `${direct} alone is not tied up (at worst ${summary(worst('d'))}), nor is ${proxied}`
    return { text, shown: shown.length, total: outcome.length }
  })
  const tested = lines.filter((l) => l.total > 0)
  if (tested.length === 0) return []
  const verdict = tested.some((l) => l.shown === l.total)
    ? 'supported'
    : tested.some((l) => l.shown > 0)
      ? 'mixed'
      : 'not supported'
  return [
    {
      topic: 'claim',
      verdict,
      text: `Claim 4 of the seeds — a gateway such as gunicorn facing clients directly can be tied up by slow clients, and nginx in front buffers them and protects its workers: ${verdict} by this run. ${tested.map((l) => l.text).join('. ')}.`,
      cells: cited,
    },
  ]
}

/** Claims 1 and 6, profiles/static-and-cache.yml: nginx serves files itself, and answers from its cache. */
function staticAndCache(results: ResultSet): Finding[] {
  const claims = [
    {
      n: 1,
      claim: 'the web server serves static files itself and forwards only dynamic requests to the app',
      stack: 'nginx-static',
      phase: 'static-asset',
    },
    {
      n: 6,
      claim: 'the web server caches content so that it is not fetched from the app each time',
      stack: 'nginx-cache',
      phase: 'cacheable',
    },
  ]
  return claims.flatMap(({ n, claim, stack, phase }): Finding[] => {
    const own = cellsOf(results, stack, phase)[0]
    const base = cellsOf(results, 'nginx-gunicorn-4', phase)[0]
    if (!own || !base) return []
    const faster = own.stats.reqPerSec >= base.stats.reqPerSec * (1 + noiseShare)
    const cpu = appCpu(own.stats)
    const idleApp = cpu === undefined || cpu < 5
    const verdict = faster && idleApp ? 'supported' : faster || idleApp ? 'mixed' : 'not supported'
    const cpuText = cpu === undefined ? '' : `, the app at ${Math.round(cpu)} % CPU`
    return [
      {
        topic: 'claim',
        verdict,
        text: `Claim ${n} of the seeds — ${claim}: ${verdict} by this run. In phase "${phase}", ${stack} serves ${formatInteger(own.stats.reqPerSec)} req/s (${compareShare(own.stats.reqPerSec, base.stats.reqPerSec)} than nginx-gunicorn-4's ${formatInteger(base.stats.reqPerSec)})${cpuText}${own.verdict?.status === 'suspect' ? '; the cell is suspect, so the limit is the generator and the true gain is larger' : ''}.`,
        cells: [citeCell(own), citeCell(base)],
      },
    ]
  })
}

/** Along a ladder: the share of steps where `a` beats `b` by more than the noise, with the clauses. */
function ladderVersus(results: ResultSet, a: string, b: string, phase: string) {
  const as = cellsOf(results, a, phase)
  const pairs = as.flatMap((x) => {
    const y = cellsOf(results, b, phase).find((c) => c.step === x.step)
    return y ? [{ x, y }] : []
  })
  const wins = pairs.filter(({ x, y }) => x.stats.reqPerSec >= y.stats.reqPerSec * (1 + noiseShare)).length
  const clauses = pairs.map(
    ({ x, y }) =>
      `${stepLabel(x)}: ${formatInteger(x.stats.reqPerSec)} vs ${formatInteger(y.stats.reqPerSec)} req/s (${compareShare(x.stats.reqPerSec, y.stats.reqPerSec)})`,
  )
  const verdict: Finding['verdict'] =
    pairs.length === 0
      ? undefined
      : wins === pairs.length
        ? 'supported'
        : wins > 0
          ? 'mixed'
          : 'not supported'
  return { verdict, clauses, cells: pairs.flatMap(({ x, y }) => [citeCell(x), citeCell(y)]) }
}

/** Claims 2 and 3, profiles/high-concurrency.yml: the proxy balancing two instances, and a worker pool. */
function highConcurrency(results: ResultSet): Finding[] {
  const phase = results.cells[0]?.phase
  if (phase === undefined) return []
  const claims = [
    {
      n: 2,
      claim:
        'the web server, as a load balancer in front of several app instances, serves more than with one',
      a: 'nginx-node-x2',
      b: 'nginx-node',
    },
    {
      n: 3,
      claim: 'several worker processes serve more than one',
      a: 'node-cluster-2',
      b: 'node',
    },
  ]
  return claims.flatMap(({ n, claim, a, b }): Finding[] => {
    const { verdict, clauses, cells } = ladderVersus(results, a, b, phase)
    if (!verdict) return []
    return [
      {
        topic: 'claim',
        verdict,
        text: `Claim ${n} of the seeds — ${claim}: ${verdict} by this run (${a} vs ${b}, phase "${phase}"; ${clauses.join('; ')}). ${verdict === 'supported' ? '' : `Here the generator, the proxy and the app share ${results.environment.cpuCount} cores, so a second process has little to run on.`}`.trim(),
        cells,
      },
    ]
  })
}

/** The seed scenarios, by the shipped profile that tests them (SEEDS.md). */
const byProfile: Record<string, (results: ResultSet) => Finding[]> = {
  'slow-clients': slowClients,
  'static-and-cache': staticAndCache,
  'high-concurrency': highConcurrency,
}

/**
 * For a run of a seed scenario's profile: the claim it tests, and whether its numbers support it (supported,
 * mixed, not supported), citing the cells compared. Any other profile tests no claim.
 */
export function checkSeedClaims(results: ResultSet): Finding[] {
  return byProfile[results.profile.name]?.(results) ?? []
}
