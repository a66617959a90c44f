import type { z } from 'zod'

/**
 * A received message checked against its schema: the parsed message, or an Error naming each field at fault
 * ("invalid message from generator thread 1: sample.successes: expected number, received string").
 */
export function parseMessage<S extends z.ZodType>(schema: S, data: unknown, from: string): z.infer<S> {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const fields = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ')
  throw new Error(`invalid message from ${from}: ${fields}`)
}
