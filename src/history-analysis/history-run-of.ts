import type { NewHistoryRun } from '../history/history-schema.js'
import { stepLabel } from '../plan/step-label.js'
import { gateMetrics } from '../profile/schema.js'
import type { ResultSet } from '../results/results-file-schema.js'
import type { TrialSample } from '../samples/sample-schemas.js'
import { trialMetrics } from '../stats/trial-metrics.js'

/**
 * What the history keeps of a results file: the commit (given, else the one the run recorded), the branch, the
 * start time, the machine, and every measured trial's req/s, p50, p99 and error rate, cell by cell.
 */
export function historyRunOf(
  results: ResultSet,
  given: { commit?: string | undefined; branch?: string | undefined },
): NewHistoryRun {
  const env = results.environment
  return {
    commit: given.commit ?? env.gitCommit,
    branch: given.branch ?? null,
    startedAt: results.startedAt,
    machine: `${env.cpuModel} ×${env.cpuCount}, ${env.memoryGiB} GiB, ${env.platform} ${env.kernel}`,
    profile: results.profile.name,
    profileSha256: results.profile.sha256,
    values: results.trials.flatMap((t) => {
      if (t.status !== 'ok' || !t.sample) return []
      const metrics = trialMetrics(t.sample as TrialSample)
      return gateMetrics.map((metric) => ({
        stack: t.stack,
        phase: t.phase,
        step: t.step,
        label: stepLabel(t),
        trial: t.trial,
        metric,
        value: metrics[metric],
      }))
    }),
  }
}
