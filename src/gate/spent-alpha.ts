import type { GateResult } from './gate-result-schema.js'

/** How far a sequential gate has come: `trials` a side now, looks at every pair from minTrials to maxTrials. */
export type GateLook = Omit<NonNullable<GateResult['sequential']>, 'alpha'>

/** Lan & DeMets' Pocock-type spending function: the alpha spent by information time t (0 < t ≤ 1). */
const spending = (alpha: number, t: number) => alpha * Math.log(1 + (Math.E - 1) * Math.min(1, t))

/**
 * The alpha a sequential gate may spend at this look: α*(n ÷ max) − α*((n − 1) ÷ max), and at the first look
 * (n = minTrials) all of α*(minTrials ÷ max). The looks' alphas add up to alpha at maxTrials, so by the union
 * bound the chance of any false fail over all the looks stays below alpha ÷ 2, however early the gate stops.
 * Pocock-type spending (Lan & DeMets, Biometrika 1983) spends evenly enough that an early look can decide a
 * clear case; O'Brien–Fleming-type spending leaves the first looks almost nothing.
 */
export function spentAlpha(alpha: number, look: GateLook): number {
  const { trials, minTrials, maxTrials } = look
  if (trials < minTrials || trials > maxTrials) throw new Error(`no look at ${trials} trials`)
  const before = trials === minTrials ? 0 : spending(alpha, (trials - 1) / maxTrials)
  return spending(alpha, trials / maxTrials) - before
}
