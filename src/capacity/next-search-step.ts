import type { CapacitySearch, SearchStep } from './capacity-result-schema.js'

export interface SearchSettings {
  /** The first step's req/s. */
  startRate: number
  /** Doubling stops here. */
  maxRate: number
  /** Bisection stops once (failing − passing) ÷ passing is at most this fraction. */
  precision: number
  /** The search gives up after this many steps (a machine too noisy to settle). */
  maxSteps: number
}

type Judged = Pick<SearchStep, 'rate' | 'kind' | 'outcome'>

/** A suspect step is run up to this many more times; its last run stands. */
const suspectRetries = 2

export type SearchDecision =
  | { next: Pick<SearchStep, 'rate' | 'kind'> }
  | { done: Pick<CapacitySearch, 'status' | 'maxRate' | 'failRate'> & { note?: string } }

/** Rates are whole req/s (hundredths below 10 req/s): readable, and reproducible from the results file. */
const roundRate = (rate: number) => (rate >= 10 ? Math.round(rate) : Math.round(rate * 100) / 100)

/**
 * The SLO search as a pure function of the steps so far: double the rate until a step does not pass (halve
 * from the start when the first one does not), bisect between the highest pass and the lowest non-pass above
 * it to the precision, then confirm the pass. A suspect step (the generator, not the stack, was the limit)
 * never counts as a pass; it is run up to twice more, and the last run stands (a VM's hiccup passes on a later
 * run, a generator at its limit does not). A pass above a lower non-pass is not trusted: the bracket is the lowest non-pass
 * and the highest pass below it. A failed confirmation turns its rate into a non-pass and the search goes on.
 */
export function nextSearchStep(all: readonly Judged[], settings: SearchSettings): SearchDecision {
  if (all.length === 0) return { next: { rate: roundRate(settings.startRate), kind: 'double' } }
  const latest = all[all.length - 1] as Judged
  const again = (a: Judged | undefined, b: Judged | undefined) =>
    a && b && a.rate === b.rate && a.kind === b.kind
  let runs = 1 // how many times in a row the latest step has been suspect
  while (runs < all.length) {
    const earlier = all[all.length - 1 - runs]
    if (!(earlier?.outcome === 'suspect' && again(earlier, latest))) break
    runs++
  }
  // maxSteps is a hard bound: a retry does not run past it
  if (latest.outcome === 'suspect' && runs <= suspectRetries && all.length < settings.maxSteps) {
    return { next: { rate: latest.rate, kind: latest.kind } } // again: the generator (or the VM) may have hiccuped
  }
  // a suspect step run again is judged by its last run
  const steps = all.filter((s, i) => !(s.outcome === 'suspect' && again(s, all[i + 1])))
  const nonPasses = steps.filter((s) => s.outcome !== 'pass')
  const hi = nonPasses.length ? Math.min(...nonPasses.map((s) => s.rate)) : undefined
  const passes = steps.filter((s) => s.outcome === 'pass' && (hi === undefined || s.rate < hi))
  const lo = passes.length ? Math.max(...passes.map((s) => s.rate)) : undefined
  const last = steps[steps.length - 1] as Judged
  const confirmed = lo !== undefined && last.kind === 'confirm' && last.rate === lo && last.outcome === 'pass'
  const bound = (b: number | undefined) => nonPasses.find((s) => s.rate === b)
  const status = bound(hi)?.outcome === 'suspect' ? 'generator-bound' : 'found'

  if (confirmed) {
    if (hi === undefined) {
      const note = `still within the SLO at capacity.maxRate (${lo} req/s): raise it to search higher`
      return { done: { status: 'at-limit', maxRate: lo, failRate: null, note } }
    }
    if (status === 'found') return { done: { status, maxRate: lo, failRate: hi } }
    const note = `at ${hi} req/s the generator, not the stack, missed the SLO (busy, or its own send lag): the stack's limit is at least ${lo} req/s`
    return { done: { status, maxRate: lo, failRate: hi, note } }
  }
  if (all.length >= settings.maxSteps) {
    return {
      done: {
        status: 'none',
        maxRate: null,
        failRate: hi ?? null,
        note: `no rate was confirmed after ${all.length} steps: the stack's latency is too unsteady at these rates to bracket`,
      },
    }
  }
  if (lo === undefined) {
    const rate = roundRate((hi as number) / 2)
    if (rate < Math.max(0.01, settings.startRate / 1024)) {
      return {
        done: {
          status: 'none',
          maxRate: null,
          failRate: hi ?? null,
          note: 'no rate passed, down to 1/1024 of the start rate',
        },
      }
    }
    return { next: { rate, kind: 'halve' } }
  }
  if (hi === undefined) {
    if (lo >= settings.maxRate) return { next: { rate: lo, kind: 'confirm' } }
    return { next: { rate: roundRate(Math.min(lo * 2, settings.maxRate)), kind: 'double' } }
  }
  const mid = roundRate((lo + hi) / 2)
  if ((hi - lo) / lo > settings.precision && mid > lo && mid < hi)
    return { next: { rate: mid, kind: 'bisect' } }
  return { next: { rate: lo, kind: 'confirm' } }
}
