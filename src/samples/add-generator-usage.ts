import type { GeneratorShareUsage, TrialSample } from './sample-schemas.js'

/**
 * A step's sample with more generators' usage beside its load's (the slow clients', the idle crowd's, each on
 * a generator thread of its own): listed, their CPU added, the busiest share the step's.
 */
export function addGeneratorUsage(sample: TrialSample, more: readonly GeneratorShareUsage[]): TrialSample {
  if (more.length === 0) return sample
  const generator = sample.generator ?? { threads: 0, cpuPercent: 0, eventLoopUtilization: 0 }
  return {
    ...sample,
    generator: {
      threads: generator.threads + more.length,
      cpuPercent: generator.cpuPercent + more.reduce((sum, g) => sum + g.cpuPercent, 0),
      eventLoopUtilization: Math.max(generator.eventLoopUtilization, ...more.map((g) => g.busy)),
      generators: [...(generator.generators ?? []), ...more],
    },
  }
}
