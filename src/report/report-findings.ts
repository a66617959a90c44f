import type { ResultSet } from '../results/results-file-schema.js'
import { checkSeedClaims } from './check-seed-claims.js'
import { findFastest } from './find-fastest.js'
import { findLatencyTurns } from './find-latency-turns.js'
import { findProblems } from './find-problems.js'
import { findProxyEffects } from './find-proxy-effects.js'
import type { Finding } from './finding.js'

/**
 * What a bench run's results say, in words: the claim a seed profile tests and its verdict, what went wrong,
 * the fastest stack per phase, what each proxy costs or saves, and where latency turns up along a ladder.
 */
export function reportFindings(results: ResultSet): Finding[] {
  return [
    ...checkSeedClaims(results),
    ...findProblems(results),
    ...findFastest(results),
    ...findProxyEffects(results),
    ...findLatencyTurns(results),
  ]
}
