import type { ServerKind } from '../kinds/server-kind.js'
import { serverKinds } from '../kinds/server-kinds.js'
import type { AppSpec, StackSpec } from '../profile/schema.js'

/** The kinds a launched stack composes, one per tier, from the app up to its entry point. */
export function stackKinds(stack: StackSpec, app: AppSpec): ServerKind[] {
  return [serverKinds[app.kind], ...(stack.proxy ? [serverKinds[stack.proxy]] : [])]
}
