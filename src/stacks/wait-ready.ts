import { get, type IncomingHttpHeaders } from 'node:http'
import { get as getTls } from 'node:https'
import { BenchError } from '../bench-error.js'
import type { ManagedProcess } from './spawn-process.js'

export interface ProbeResult {
  status: number
  headers: IncomingHttpHeaders
}

/**
 * One GET on a fresh connection (HTTPS: any certificate, ours are self-signed), to the URL's host or to a Unix
 * socket; rejects on error or timeout.
 */
export function httpGet(url: string, timeoutMs: number, socketPath?: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:')
    const options = {
      agent: false as const,
      timeout: timeoutMs,
      ...(secure ? { rejectUnauthorized: false } : {}),
      ...(socketPath ? { socketPath } : {}),
    }
    const request = (secure ? getTls : get)(url, options, (response) => {
      response.resume()
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }))
      response.once('error', reject)
    })
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.once('error', reject)
  })
}

export interface ReadyOptions {
  /** Who answers at this URL, for messages. */
  name: string
  status: number
  timeoutMs: number
  /** Processes whose exit means the stack will never be ready. */
  watch: readonly ManagedProcess[]
  /** Gives up at once when aborted (Ctrl-C). */
  signal?: AbortSignal | undefined
  /** One probe of `url` (default: an HTTP GET of it). */
  get?: (timeoutMs: number) => Promise<ProbeResult>
}

/**
 * Polls `url` (over HTTP unless `options.get` says otherwise) until it answers the expected status (a TCP connect is not enough: gunicorn accepts
 * connections ~80 ms before it can answer). Fails fast when a watched process exits.
 */
export async function waitReady(url: string, options: ReadyOptions): Promise<ProbeResult> {
  const deadline = Date.now() + options.timeoutMs
  let last = 'no answer'
  for (;;) {
    if (options.signal?.aborted) throw new BenchError('stack', 'interrupted while starting', 'nothing to fix')
    const dead = options.watch.find((p) => !p.isAlive())
    if (dead) {
      const exit = await dead.exited
      throw new BenchError(
        'stack',
        `${dead.name} exited at start (${exit.signal ?? `code ${exit.code}`}) before ${url} answered`,
        `check its command, args and cwd in the profile; its last output is below`,
        dead.logTail(),
      )
    }
    try {
      const timeout = Math.max(100, Math.min(2000, deadline - Date.now()))
      const result = await (options.get ? options.get(timeout) : httpGet(url, timeout))
      if (result.status === options.status) return result
      last = `status ${result.status}`
    } catch (error) {
      last = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    }
    if (Date.now() >= deadline) {
      throw new BenchError(
        'stack',
        `${options.name} did not answer ${options.status} at ${url} within ${options.timeoutMs / 1000}s (last: ${last})`,
        'check that the app listens on {port} and answers ready.path with ready.status, or raise ready.timeout',
        options.watch.flatMap((p) => p.logTail()).slice(-20),
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
