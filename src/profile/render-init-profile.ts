import { BenchError } from '../bench-error.js'
import { type PlacedApp, placeApp } from './place-app.js'
import type { ProxyKind } from './schema.js'
import { splitCommand } from './split-command.js'

export interface InitOptions {
  /** The user's server command, as one shell line: "gunicorn myapp:app". */
  app: string
  proxy?: ProxyKind
  workers?: number
  name?: string
  /** What the yaml-language-server comment points at: bench's bench-profile.schema.json. */
  schemaPath: string
  /** How bench init was called, quoted in the profile's header. */
  commandLine: string
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * bench init: a commented, valid profile for the user's own app — the app with its placeholders in place,
 * the app alone and (with a proxy) behind it, and a closed-loop connection ladder.
 */
export function renderInitProfile(options: InitOptions): string {
  const placed = placeApp(splitCommand(options.app))
  const name = options.name ?? guessName(placed)
  if (!namePattern.test(name)) {
    throw new BenchError(
      'input',
      `--name "${name}" may hold only letters, digits, ".", "_" and "-"`,
      'pick another name, e.g. --name myapp',
    )
  }
  const workers = options.workers ?? placed.workers
  if (workers !== undefined && placed.workerArgs.length === 0) {
    throw new BenchError(
      'input',
      `bench init does not know how "${placed.command}" takes a number of workers`,
      `put {workers} where your app takes the count, e.g. --app "${options.app} --workers {workers}", or leave out --workers`,
    )
  }
  const suffix = workers === undefined ? '' : `-w${workers}`
  const workersKey = workers === undefined ? '' : `, workers: ${workers}`
  const stacks = [
    `  - { name: ${name}${suffix}, app: ${name}${workersKey} }  # the app alone`,
    ...(options.proxy
      ? [
          `  - { name: ${options.proxy}-${name}${suffix}, app: ${name}${workersKey}, proxy: ${options.proxy} }  # behind ${options.proxy}`,
        ]
      : []),
  ]
  const env = Object.entries(placed.env)
  const describe = `${placed.command}${options.proxy ? `, direct and behind ${options.proxy}` : ''}${workers ? `, ${workers} workers` : ''}`
  return [
    `# yaml-language-server: $schema=${options.schemaPath}`,
    `# Made by: ${options.commandLine}`,
    '# Check it with `bench validate <this file>`, see what it runs and for how long with `bench plan`,',
    "# then `bench run` it. Every key is described in bench's docs/profile-reference.md.",
    `name: ${name}`,
    `description: ${scalar(describe)}`,
    '',
    'apps:',
    `  ${name}:`,
    `    command: ${scalar(placed.command)}`,
    `    # bench picks a free port for each start and substitutes {port}; {host} is 127.0.0.1`,
    ...placed.notes.map((note) => `    # ${note}`),
    `    args: ${list(placed.args)}`,
    ...(placed.workerArgs.length
      ? [`    workerArgs: ${list(placed.workerArgs)}   # appended when a stack sets workers`]
      : []),
    ...(env.length ? ['    env:', ...env.map(([k, v]) => `      ${k}: ${scalar(v)}`)] : []),
    "    cwd: .   # the folder the app runs in, relative to this file's: save this file in your app's folder",
    '    # A GUESS: bench waits until the app answers this path with this status before it measures. Point it',
    '    # at a cheap endpoint that answers 200 (e.g. /health); / may redirect or be missing in an API.',
    '    ready: { path: /, status: 200, timeout: 10s }',
    '',
    'stacks:',
    ...stacks,
    '',
    'phases:',
    '  # Closed loop: N connections, each sending its next request when the answer arrives; one row per count.',
    '  - name: ladder',
    '    connections: [10, 50, 200]',
    '    duration: 5s   # per step',
    '    warmup: 2s     # before the first step, not measured',
    '    requests:      # what each connection sends, in turn: add paths, methods, headers, bodies, weights',
    '      - { path: / }',
    '  # Open loop: users arriving at a rate, whatever the server does; latency from the intended send time.',
    '  # - name: users',
    '  #   rate: [100, 200, 400]   # req/s, one step each',
    '  #   duration: 5s',
    '',
  ].join('\n')
}

/** The app's name from its command: the module of gunicorn's `myapp:app`, a node script's file, else the program. */
function guessName(placed: PlacedApp): string {
  const module = placed.args.find((a) => /^[\w.]+:[\w.()]+$/.test(a) && !a.includes('{'))
  const script = placed.args.find((a) => /\.(m?js|cjs|ts|py)$/.test(a))
  const raw = module
    ? (module.split(':')[0]?.split('.').at(-1) ?? '')
    : script
      ? (script
          .split('/')
          .at(-1)
          ?.replace(/\.\w+$/, '') ?? '')
      : (placed.command.split('/').at(-1) ?? '')
  const cleaned = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '')
  return cleaned || 'app'
}

/** A YAML scalar: plain when that is unambiguous text, else double-quoted (JSON's quoting is valid YAML). */
function scalar(text: string): string {
  const plain =
    /^[A-Za-z_./][A-Za-z0-9_./:=@%+,()-]*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~)$/i.test(text) &&
    !text.includes(',') &&
    !/[:]$/.test(text)
  const option = /^-{1,2}[A-Za-z][A-Za-z0-9-]*$/.test(text)
  return plain || option ? text : JSON.stringify(text)
}

function list(words: readonly string[]): string {
  return `[${words.map(scalar).join(', ')}]`
}
