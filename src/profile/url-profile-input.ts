import { BenchError } from '../bench-error.js'
import type { ProfileInput } from './schema.js'

export interface UrlLoad {
  url: string
  /** Closed loop: this many connections (the default, 50). */
  connections?: number | undefined
  /** Open loop: this many req/s. */
  rate?: number | undefined
  /** Per step, as in a profile: "10s", "500ms", or seconds (default 10s). */
  duration?: string | undefined
  warmup?: string | undefined
  method?: string | undefined
  /** "Name: value" each, as curl's -H. */
  headers?: readonly string[] | undefined
  body?: string | undefined
}

/**
 * A one-line run (`bench http://127.0.0.1:8080/ -c 100`) as a profile: one `url` stack (a server already
 * running, not started or stopped by bench) and one phase, to be validated and run like any profile.
 */
export function urlProfileInput(load: UrlLoad): ProfileInput {
  // 127.0.0.1:8080/x and localhost:3000 mean http://
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(load.url)
    ? load.url
    : /^(\[[0-9a-f:]+\]|[\w.-]+):\d+(\/|$)/i.test(load.url)
      ? `http://${load.url}`
      : load.url
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new BenchError(
      'input',
      `"${load.url}" is neither a command nor a URL`,
      'give a command (bench --help lists them) or a URL such as http://127.0.0.1:8080/',
    )
  }
  if (load.connections !== undefined && load.rate !== undefined) {
    throw new BenchError(
      'input',
      '-c (connections, closed loop) and -r (req/s, open loop) are two different experiments',
      'give one of them: -c 50 for "how fast can it go", -r 1000 for "what latency at 1000 req/s"',
    )
  }
  const headers = Object.fromEntries(
    (load.headers ?? []).map((header) => {
      const colon = header.indexOf(':')
      if (colon < 1) {
        throw new BenchError('input', `-H "${header}" is not a header`, 'write it as -H "Name: value"')
      }
      return [header.slice(0, colon).trim(), header.slice(colon + 1).trim()]
    }),
  )
  const loop = load.rate === undefined ? { connections: load.connections ?? 50 } : { rate: load.rate }
  return {
    name: 'url',
    description: `${load.method ?? 'GET'} ${url.href}`,
    stacks: [
      {
        name: `${url.hostname.replace(/[[\]]/g, '').replace(/[^A-Za-z0-9._-]/g, '-')}-${url.port || (url.protocol === 'https:' ? 443 : 80)}`,
        url: url.href,
      },
    ],
    phases: [
      {
        name: 'load',
        ...loop,
        duration: seconds(load.duration ?? '10s'),
        ...(load.warmup === undefined ? {} : { warmup: seconds(load.warmup) }),
        requests: [
          {
            method: (load.method ?? 'GET').toUpperCase() as 'GET',
            path: `${url.pathname}${url.search}`,
            headers,
            ...(load.body === undefined ? {} : { body: load.body }),
          },
        ],
      },
    ],
  }
}

/** "10" on a command line means 10 seconds, as a bare number does in a profile. */
function seconds(text: string): string | number {
  return /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text
}
