import { request as httpRequest } from 'node:http'
import { connect as http2Connect } from 'node:http2'
import { request as httpsRequest } from 'node:https'
import { BenchError } from '../bench-error.js'
import { connectionSpecificHeaders } from '../load/h2/connection-specific-headers.js'
import type { RequestSpec, VerifyKind } from '../profile/schema.js'
import type { RunningStack } from '../stacks/start-stack.js'
import { checkResponse, type VerifiedResponse } from '../verify/check-response.js'

const timeoutMs = 10_000
/** More than any verified answer needs (500 World rows are ~16 KB); a larger body is cut here. */
const maxBodyBytes = 4 * 1024 * 1024

/** One GET of `path` on a fresh connection (HTTPS: any certificate, ours are self-signed), body read whole. */
function fetchOnce(baseUrl: string, request: RequestSpec): Promise<VerifiedResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.path, baseUrl)
    const secure = url.protocol === 'https:'
    const options = {
      method: 'GET',
      headers: request.headers,
      agent: false as const,
      timeout: timeoutMs,
      ...(secure ? { rejectUnauthorized: false } : {}),
    }
    const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (size < maxBodyBytes) chunks.push(chunk)
        size += chunk.length
      })
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      res.once('error', reject)
    })
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)))
    req.once('error', reject)
    req.end()
  })
}

/**
 * The same GET in HTTP/2 with prior knowledge (h2c), for a server that does not speak HTTP/1.1 there (a url stack
 * checked in its phases' protocol h2c, stacks/reach-url.ts).
 */
function fetchOnceH2c(baseUrl: string, request: RequestSpec): Promise<VerifiedResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.path, baseUrl)
    const session = http2Connect(url.origin)
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      session.destroy()
      reject(error)
    }
    session.once('error', fail)
    // HTTP/2 carries no connection headers, and Host as :authority
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !connectionSpecificHeaders.has(name.toLowerCase())),
    )
    const req = session.request({ ...headers, ':path': `${url.pathname}${url.search}` })
    req.end()
    let status = 0
    let contentType: string | undefined
    req.once('response', (headers) => {
      status = Number(headers[':status'])
      contentType = headers['content-type']
    })
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      if (size < maxBodyBytes) chunks.push(chunk)
      size += chunk.length
    })
    req.once('end', () => {
      clearTimeout(timer)
      session.close()
      resolve({ status, contentType, body: Buffer.concat(chunks).toString('utf8') })
    })
    req.once('error', fail)
  })
}

/** HTTP/1.1; from a clear-text server that answers something else (an HTTP/1.1 parse error), h2c. */
async function fetchVerified(baseUrl: string, request: RequestSpec): Promise<VerifiedResponse> {
  try {
    return await fetchOnce(baseUrl, request)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (!code.startsWith('HPE_') || !baseUrl.startsWith('http:')) throw error
    return await fetchOnceH2c(baseUrl, request)
  }
}

const fixes: Record<VerifyKind, string> = {
  json: 'make the app answer JSON there (application/json), or remove verify from the request',
  db: 'make the app answer one World row as {"id":N,"randomNumber":M}, and check that it reaches its database (DATABASE_URL); its last output is below',
  queries:
    'make the app answer an array of queries=N World rows (N clamped to 1…500), and check that it reaches its database (DATABASE_URL); its last output is below',
  updates:
    'make the app answer an array of queries=N updated World rows (N clamped to 1…500), and check that it reaches its database (DATABASE_URL); its last output is below',
  fortunes:
    "make the app render every fortune plus the one added at request time, sorted by message and HTML-escaped, in TechEmpower's template (text/html; charset=utf-8); its last output is below",
}

/** The requests of a profile's phases that ask to be verified, each (path, kind) once. */
function requestsToVerify(requests: readonly RequestSpec[]): RequestSpec[] {
  const seen = new Set<string>()
  return requests.filter((r) => {
    const key = `${r.verify} ${r.path}`
    if (r.verify === undefined || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * TechEmpower's verification before load: fetches each request once from the started stack and checks its
 * answer (verify/check-response.ts); the first one that fails throws, naming the stack, the path and what was
 * wrong, so that a stack answering 200 with the wrong body is never measured.
 */
export async function verifyStack(stack: RunningStack, requests: readonly RequestSpec[]): Promise<void> {
  for (const request of requestsToVerify(requests)) {
    const kind = request.verify as VerifyKind
    let problem: string | undefined
    try {
      problem = checkResponse(kind, request.path, await fetchVerified(stack.baseUrl, request))
    } catch (error) {
      problem = `could not be fetched: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    }
    if (problem !== undefined) {
      throw new BenchError(
        'stack',
        `stack "${stack.name}": ${request.path} ${problem} (verify: ${kind})`,
        fixes[kind],
        stack.processes.flatMap((p) => p.logTail()).slice(-20),
      )
    }
  }
}
