import type { AppSpec, StackSpec } from '../profile/schema.js'
import type { ServerKind } from './server-kind.js'
import { serverKinds } from './server-kinds.js'

/** The kinds a launched stack composes, one per tier, from the app up to its entry point. */
export function stackKinds(stack: StackSpec, app: AppSpec): ServerKind[] {
  return [serverKinds[app.kind], ...(stack.proxy ? [serverKinds[stack.proxy]] : [])]
}
