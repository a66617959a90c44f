import { z } from 'zod'

/** CPU and memory of one tier of a stack (proxy, app: whole process groups, workers included) over a step. */
export const tierUsageSchema = z.object({
  tier: z.string(),
  /** % of one core. */
  cpuPercent: z.number(),
  /** User + system CPU seconds of the tier's processes over the measured load (absent in older files). */
  cpuSeconds: z.number().optional(),
  peakRssMb: z.number(),
  /** RSS at the first sample, just before the step's load started (what a WebSocket step's held connections add to). */
  startRssMb: z.number().optional(),
})

/**
 * What the database did during a step (PostgreSQL): read from its statistics views just before and just after
 * the measured load, the difference of the two.
 */
export const databaseUsageSchema = z.object({
  /** Statements executed in the app's database (pg_stat_statements, summed calls): exact. */
  statements: z.number().int(),
  /** Transactions committed there (pg_stat_database.xact_commit): each backend reports its count at most once a
   * second, so this can miss up to about the last second of each connection's transactions. */
  transactions: z.number().int(),
})

export type TierUsage = z.infer<typeof tierUsageSchema>
