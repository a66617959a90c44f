import type { SearchStep } from './capacity-result-schema.js'
import { nextSearchStep, type SearchDecision, type SearchSettings } from './next-search-step.js'

type Judged = Pick<SearchStep, 'rate' | 'kind' | 'outcome'>

export interface SimulatedSearch {
  steps: Judged[]
  done: Extract<SearchDecision, { done: unknown }>['done']
}

/**
 * The SLO search run to its end against a stack whose every step `judge` decides, with the same decisions as
 * a real search. `bench plan` uses it to say what a search costs on a stack that holds the SLO up to a limit;
 * the tests, to check the search's rules on made-up stacks.
 */
export function simulateSearch(
  settings: SearchSettings,
  judge: (rate: number, kind: SearchStep['kind']) => SearchStep['outcome'],
): SimulatedSearch {
  const steps: Judged[] = []
  for (;;) {
    const decision = nextSearchStep(steps, settings)
    if ('done' in decision) return { steps, done: decision.done }
    steps.push({ ...decision.next, outcome: judge(decision.next.rate, decision.next.kind) })
  }
}
