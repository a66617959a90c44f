import type { PhaseSpec, Profile } from '../profile/schema.js'
import type { SearchSettings } from './next-search-step.js'

/** Most steps one search may take: doubling ×17 covers 1 → 100,000 req/s, bisection to 2 % about 6 more. */
const maxSearchSteps = 40

/**
 * The search phase of a profile with `slo:` (its first open-loop phase; the profile rules ensure there is one)
 * and how the search proceeds: from that phase's first rate, doubling up to capacity.maxRate, bisecting to
 * capacity.precision.
 */
export function searchSettings(profile: Profile): { phase: PhaseSpec; settings: SearchSettings } {
  const phase = profile.phases.find((p) => p.rate !== undefined) as PhaseSpec
  return {
    phase,
    settings: {
      startRate: phase.rate?.[0]?.from ?? 1,
      maxRate: profile.capacity.maxRate,
      precision: profile.capacity.precision / 100,
      maxSteps: maxSearchSteps,
    },
  }
}
