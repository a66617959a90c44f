import type { StackSpec } from '../profile/schema.js'

/** "nginx → app node ×2 instances (4 workers) → postgres (pool 16)", or "url http://…" for a stack bench does not launch. */
export function describeStack(stack: StackSpec): string {
  if (stack.url) return `url ${stack.url}`
  return [
    stack.proxy ? `${stack.proxy} →` : '',
    `app ${stack.app}`,
    stack.instances > 1 ? `×${stack.instances} instances` : '',
    stack.workers ? `(${stack.workers} worker${stack.workers === 1 ? '' : 's'})` : '',
    stack.database
      ? `→ ${typeof stack.database === 'string' ? stack.database : stack.database.url}${stack.pool ? ` (pool ${stack.pool})` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' ')
}
