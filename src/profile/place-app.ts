import { BenchError } from '../bench-error.js'

/** How bench recognised the server, which decides where {port}, {host} and {workers} go. */
export type AppKind = 'gunicorn' | 'uvicorn' | 'node' | 'generic'

export interface PlacedApp {
  kind: AppKind
  command: string
  args: string[]
  workerArgs: string[]
  env: Record<string, string>
  /** The worker count the command itself set (gunicorn -w 4), taken out of args. */
  workers?: number
  /** What bench changed in the command, for a comment in the profile. */
  notes: string[]
}

/** Options with a value that bench replaces, per kind: the listen address and the worker count. */
const listenOptions: Record<'gunicorn' | 'uvicorn', { drop: string[]; workers: string[] }> = {
  gunicorn: { drop: ['-b', '--bind'], workers: ['-w', '--workers'] },
  uvicorn: { drop: ['--host', '--port', '--uds', '--fd'], workers: ['--workers'] },
}

/**
 * The words of a user's server command → an app of a profile, with the placeholders put where the shipped
 * profiles put them: gunicorn and hypercorn get `-b {host}:{port}` and `-w {workers}`; uvicorn `--host {host}
 * --port {port}` and `--workers {workers}`; node, and any other command, are told their port in `PORT` (and
 * `HOST`), as most apps read it. A command that already holds {port} is left as written; words holding
 * {workers} move to workerArgs. Leading NAME=value words become env.
 */
export function placeApp(words: readonly string[]): PlacedApp {
  const rest = [...words]
  const env: Record<string, string> = {}
  while (rest[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0])) {
    const [name, ...value] = (rest.shift() as string).split('=')
    env[name as string] = value.join('=')
  }
  const command = rest.shift()
  if (command === undefined) {
    throw new BenchError(
      'input',
      'the app command is empty',
      'give the command that starts your server, e.g. --app "gunicorn myapp:app"',
    )
  }
  // python -m gunicorn …: the module decides the kind, and stays in args
  const module = /^python[0-9.]*$/.test(baseName(command)) && rest[0] === '-m' ? rest[1] : undefined
  const prefix = module ? rest.splice(0, 2) : []
  const kind = kindOf(module ?? baseName(command))
  const notes: string[] = []
  const workerArgs = takeWorkerPlaceholders(rest)
  const hasPort = [...rest, ...Object.values(env)].some((w) => w.includes('{port}'))

  let workers: number | undefined
  if ((kind === 'gunicorn' || kind === 'uvicorn') && !hasPort) {
    const options = listenOptions[kind]
    const dropped = takeOptions(rest, options.drop)
    const workerCount = takeOptions(rest, options.workers)
    if (dropped.length) notes.push(`your ${dropped.join(' ')} was replaced: bench picks a free port`)
    if (workerCount.length) {
      const count = Number(/(\d+)$/.exec(workerCount.at(-1) ?? '')?.[1])
      if (Number.isInteger(count) && count > 0) workers = count
      notes.push(`your ${workerCount.join(' ')} became the stacks' workers`)
    }
    const listen = kind === 'gunicorn' ? ['-b', '{host}:{port}'] : ['--host', '{host}', '--port', '{port}']
    if (kind === 'gunicorn') rest.unshift(...listen)
    else rest.push(...listen)
    if (!workerArgs.length) workerArgs.push(...(kind === 'gunicorn' ? ['-w'] : ['--workers']), '{workers}')
  } else if (!hasPort) {
    env.PORT = '{port}'
    env.HOST = '{host}'
    notes.push(
      'bench tells the app its port in PORT and its address in HOST; if it reads them elsewhere, put "{port}" there instead',
    )
  }
  return {
    kind,
    command,
    args: [...prefix, ...rest],
    workerArgs,
    env,
    ...(workers === undefined ? {} : { workers }),
    notes,
  }
}

function baseName(path: string): string {
  return path.split('/').at(-1) ?? path
}

function kindOf(program: string): AppKind {
  if (program === 'gunicorn' || program === 'hypercorn') return 'gunicorn'
  if (program === 'uvicorn') return 'uvicorn'
  if (['node', 'nodejs', 'bun', 'deno', 'npm', 'npx', 'pnpm', 'yarn'].includes(program)) return 'node'
  return 'generic'
}

/** Removes `--opt value`, `--opt=value` and `-ovalue` forms of `names` from `words`; returns what it removed. */
function takeOptions(words: string[], names: readonly string[]): string[] {
  const taken: string[] = []
  for (let i = 0; i < words.length; ) {
    const word = words[i] as string
    const name = names.find(
      (n) => word === n || word.startsWith(`${n}=`) || (n.length === 2 && word.startsWith(n)),
    )
    if (name === undefined) {
      i++
      continue
    }
    const withValue = word === name && i + 1 < words.length
    taken.push(withValue ? `${word} ${words[i + 1]}` : word)
    words.splice(i, withValue ? 2 : 1)
  }
  return taken
}

/** Takes the words holding {workers} (with the option before each) out of `words`, for workerArgs. */
function takeWorkerPlaceholders(words: string[]): string[] {
  const taken: string[] = []
  for (let i = 0; i < words.length; ) {
    if (!words[i]?.includes('{workers}')) {
      i++
      continue
    }
    const withOption = i > 0 && words[i - 1]?.startsWith('-') && !words[i - 1]?.includes('{')
    const start = withOption ? i - 1 : i
    taken.push(...words.splice(start, i - start + 1))
    i = start
  }
  return taken
}
