import { z } from 'zod'

/** What a step loads: a base URL, and whether it is bench's own stack (whose TLS certificate is self-signed). */
export const loadTargetSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** Accept a self-signed certificate: only for stacks bench launched itself. */
  selfSigned: z.boolean().optional(),
  /** Where it answers HTTP/2 in clear text (h2c), when not at baseUrl (nginx: a port of its own). */
  h2cUrl: z.url({ protocol: /^https?$/ }).optional(),
})

export type LoadTarget = z.infer<typeof loadTargetSchema>
