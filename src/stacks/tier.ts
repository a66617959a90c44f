/**
 * A tier of a stack: the process groups that make it up (the proxy; the app's instances), with every
 * descendant of their members (PostgreSQL's backends each start a session of their own, so a group alone
 * misses them). stacks/ starts them; monitor/ samples them (monitor imports stacks, never the reverse).
 */
export interface Tier {
  tier: string
  pgids: number[]
}
