/**
 * Builders for profile fixtures: a test writes only the part under test, and the rest of a minimal valid
 * profile (a name, one stack on the loopback, one phase) is filled in, always the same, line for line.
 */

/** Lines → YAML text (line n of the result is `ls[n - 1]`). */
export function yaml(...ls: string[]): string {
  return `${ls.join('\n')}\n`
}

/** The default stack: a running server on the loopback. */
export const loopbackStackLine = '  - { name: a, url: "http://127.0.0.1:8080" }'
/** The default phase: one connection for one second. */
export const onePhaseLine = '  - { name: p, connections: 1, duration: 1s }'
/** An app named node, told its port: a line under `apps:`. */
export const nodeAppLine = '  node: { command: node, args: [--port, "{port}"] }'

interface ProfileParts {
  /** The value of `name:` (line 1). Default x. */
  name?: string
  /** Top-level lines after the name (trials:, gate:, host:, …). */
  top?: string[]
  /** The lines under `apps:`; without them, no apps key. */
  apps?: string[]
  /** The lines under `stacks:`. Default: one stack on the loopback. */
  stacks?: string[]
  /** The lines under `phases:`. Default: one phase. */
  phases?: string[]
}

/**
 * A profile's YAML, in this order: `name:`, the top-level lines, `apps:` and its lines, `stacks:` and its
 * lines, `phases:` and its lines.
 */
export function profileYaml(parts: ProfileParts = {}): string {
  return yaml(
    `name: ${parts.name ?? 'x'}`,
    ...(parts.top ?? []),
    ...(parts.apps ? ['apps:', ...parts.apps] : []),
    'stacks:',
    ...(parts.stacks ?? [loopbackStackLine]),
    'phases:',
    ...(parts.phases ?? [onePhaseLine]),
  )
}
