import { type ResultSet, resultSchemaVersion } from '../src/results/results-file-schema.js'
import { emptyErrorCounts } from '../src/samples/error-classes.js'
import { LatencyRecorder } from '../src/samples/latency-histogram.js'
import type { TrialSample } from '../src/samples/sample-schemas.js'

function sample(reqPerSec: number, latencyMs: number): TrialSample {
  const recorder = new LatencyRecorder()
  for (let i = 0; i < 200; i++) recorder.record(latencyMs * 1000 * (0.9 + (i % 20) / 100))
  return {
    successes: Math.round(reqPerSec),
    bytes: Math.round(reqPerSec) * 100,
    durationMs: 1000,
    errors: { ...emptyErrorCounts() },
    histogram: recorder.encode(),
  }
}

/**
 * The results file of run number `run` of profile "ci": one phase at c=50, 4 trials per stack. Each stack's
 * req/s and p50 are given; a deterministic wobble of up to ±0.8 % from run to run and ±1.5 % between trials
 * makes the series noisy but never random.
 */
export function syntheticResults(
  run: number,
  stacks: Record<string, { reqPerSec: number; p50Ms: number }>,
): ResultSet {
  const wobble = 1 + (((run * 7) % 5) - 2) / 250
  return {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'bench', version: '0' },
    status: 'complete',
    profile: { name: 'ci', file: 'ci.yml', sha256: 'synthetic' },
    startedAt: `2026-02-${String(run).padStart(2, '0')}T10:00:00.000Z`,
    environment: {
      node: 'v20',
      platform: 'linux',
      kernel: '6.1',
      cpuModel: 'test cpu',
      cpuCount: 2,
      memoryGiB: 4,
      versions: {},
      gitCommit: `commit${run}`,
    },
    stackRuns: [],
    trials: Object.entries(stacks).flatMap(([stack, { reqPerSec, p50Ms }]) =>
      [1, 0.985, 1.015, 1.005].map((f, trial) => ({
        stack,
        phase: 'hello',
        step: 0,
        loop: 'closed' as const,
        connections: 50,
        pipelining: 1,
        trial,
        status: 'ok' as const,
        sample: sample(reqPerSec * wobble * f, p50Ms * wobble * f),
      })),
    ),
    cells: [],
    warnings: [],
  }
}
