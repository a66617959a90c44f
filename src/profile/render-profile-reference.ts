import { profileJsonSchema } from './profile-json-schema.js'
import { durationPattern } from './schema.js'

/** The part of a JSON Schema (draft-07, as profileJsonSchema writes it) this page reads. */
interface Node {
  type?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  const?: unknown
  anyOf?: Node[]
  items?: Node
  properties?: Record<string, Node>
  required?: string[]
  additionalProperties?: Node | boolean
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  minLength?: number
  pattern?: string
  format?: string
}

/** An object of the profile, named by where it sits: `stacks[]`, `phases[].slowClients` (or several places). */
interface Section {
  paths: string[]
  node: Node
}

/**
 * The profile reference (docs/profile-reference.md), generated from the profile's JSON Schema, itself generated
 * from the zod schema: every key of every object, with its type, allowed values, default and description.
 * bench schema --markdown prints it; a unit test fails when the committed page differs.
 */
export function renderProfileReference(): string {
  const schema = profileJsonSchema() as Node
  const sections: Section[] = []
  collect('profile', schema, sections)
  const lines = [
    '# Profile reference',
    '',
    'With this page you can look up any key of a profile: where it goes, its type, the values it allows, its',
    'default and what it does. For how the keys work together, with examples, see [Profiles](profiles.md).',
    '',
    '<!-- Generated from the zod schema (src/profile/schema.ts) by `bench schema --markdown`: do not edit by hand.',
    '     Regenerate with: ./bench schema --markdown > docs/profile-reference.md -->',
    '',
    'Generated from the zod schema by `bench schema --markdown`; `bench validate` checks a profile against it, and',
    "the rules that join keys (a stack's `app` is one of `apps`, a phase has `connections` or `rate`, …) as well.",
    'A duration is a number of seconds or a string such as `"500ms"`, `"5s"` or `"2m"`.',
    '',
    ...sections.flatMap(renderSection),
  ]
  return `${lines.join('\n').trimEnd()}\n`
}

/** Depth first, in the schema's order: the object at `path`, then every object inside it. */
function collect(path: string, node: Node, into: Section[]): void {
  const last = into.at(-1)
  // the same object in several places one after another (gate.metrics.p50, .p99, …): one section
  if (node.properties && last && sameObject(last.node, node)) last.paths.push(path)
  else if (node.properties) into.push({ paths: [path], node })
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path === 'profile' ? key : `${path}.${key}`
    for (const [suffix, object] of objectsIn(child)) collect(`${childPath}${suffix}`, object, into)
  }
}

/** The same keys and rules (the defaults, given in the parent's table, may differ). */
function sameObject(a: Node, b: Node): boolean {
  return JSON.stringify({ ...a, default: undefined }) === JSON.stringify({ ...b, default: undefined })
}

/** The objects a value holds, with the suffix its path gets: itself, a list's items (`[]`), a map's values (`.<name>`). */
function objectsIn(node: Node): [string, Node][] {
  if (node.properties) return [['', node]]
  if (node.items) return objectsIn(node.items).map(([s, n]) => [`[]${s}`, n])
  if (typeof node.additionalProperties === 'object')
    return objectsIn(node.additionalProperties).map(([s, n]) => [`.<name>${s}`, n])
  return (node.anyOf ?? []).flatMap(objectsIn)
}

function renderSection({ paths, node }: Section): string[] {
  const required = new Set(node.required ?? [])
  const rows = Object.entries(node.properties ?? {}).map(([key, child]) =>
    row([
      `\`${key}\``,
      typeOf(child),
      required.has(key)
        ? 'required'
        : child.default === undefined
          ? '—'
          : `\`${JSON.stringify(child.default)}\``,
      child.description ?? '',
    ]),
  )
  return [
    `## ${paths.map((p) => `\`${p}\``).join(', ')}`,
    '',
    ...(node.description && paths[0] !== 'profile' ? [node.description, ''] : []),
    row(['key', 'type', 'default', 'description']),
    row(['---', '---', '---', '---']),
    ...rows,
    '',
  ]
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`
}

/** A value's type in words: "integer 1–256", "one of `tcp`, `unix`", "list of string", "duration". */
function typeOf(node: Node): string {
  if (node.anyOf?.some((n) => n.pattern === durationPattern.source)) return 'duration'
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`
  if (node.anyOf) return node.anyOf.map(typeOf).join(', or ')
  if (node.properties) return 'object (below)'
  if (node.type === 'array' && node.items)
    return `list of ${typeOf(node.items)}${node.minItems && node.minItems > 1 ? ` (at least ${node.minItems})` : ''}`
  if (node.type === 'object' && typeof node.additionalProperties === 'object')
    return `map of name → ${typeOf(node.additionalProperties)}`
  if (node.type === 'integer' || node.type === 'number') return `${node.type}${range(node)}`
  if (node.type === 'string') {
    if (node.format === 'uri') return 'URL'
    if (node.pattern === '^\\/.*') return 'path starting with `/`' // zod's startsWith('/')
    if (node.pattern) return `string matching \`${node.pattern}\``
    return node.minLength ? 'non-empty string' : 'string'
  }
  return node.type ?? 'any'
}

function range(node: Node): string {
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined
  if (node.minimum !== undefined && max !== undefined) return ` ${number(node.minimum)}–${number(max)}`
  const parts = [
    node.minimum !== undefined ? `≥ ${number(node.minimum)}` : undefined,
    node.exclusiveMinimum !== undefined ? `> ${number(node.exclusiveMinimum)}` : undefined,
    node.exclusiveMaximum !== undefined ? `< ${number(node.exclusiveMaximum)}` : undefined,
    max !== undefined ? `≤ ${number(max)}` : undefined,
  ].filter((p) => p !== undefined)
  return parts.length ? ` ${parts.join(', ')}` : ''
}

function number(n: number): string {
  return n.toLocaleString('en-US')
}
