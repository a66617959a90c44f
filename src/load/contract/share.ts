import { z } from 'zod'

/**
 * A generator's place among all the generators of a step (threads of every agent together): share `index` of
 * `of`. The rate, the connections, the request-mix offsets and the seeds are dealt by this global index, so the
 * same step split over 4 agents of 1 thread or 1 agent of 4 threads sends the same requests at the same times.
 */
export const shareSchema = z
  .strictObject({ index: z.number().int().min(0), of: z.number().int().min(1) })
  .refine((s) => s.index < s.of, { message: 'index must be below of', path: ['index'] })

export type Share = z.infer<typeof shareSchema>
