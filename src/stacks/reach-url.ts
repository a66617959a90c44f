import { connect as http2Connect } from 'node:http2'
import { isIP } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { BenchError } from '../bench-error.js'
import type { PhaseSpec } from '../profile/schema.js'
import { httpGet } from './wait-ready.js'

const timeoutMs = 5000

/** The server's TLS handshake chose no HTTP/2 by ALPN: it answers there in HTTP/1.1 at most. */
class NoH2ByAlpn extends Error {}

/**
 * One GET in HTTP/2 on a fresh connection, as bench's engine connects: over TLS with ALPN h2 (the certificate
 * checked: a url stack is the user's server), or in clear text with prior knowledge (h2c). Resolves with the
 * status; rejects on error, timeout, or a TLS server that does not choose h2 (NoH2ByAlpn).
 */
function http2Get(url: string, secure: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port, origin, pathname, search } = new URL(url)
    const host = hostname.replace(/^\[(.*)\]$/, '$1')
    let settled = false
    const finish = (error: Error | undefined, status = 0) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      session.destroy()
      if (error) reject(error)
      else resolve(status)
    }
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    const session = http2Connect(origin, {
      ...(secure
        ? {
            createConnection: () => {
              const socket = tlsConnect({
                host,
                port: Number(port) || 443,
                ...(isIP(host) ? {} : { servername: host }),
                ALPNProtocols: ['h2'],
              })
              socket.once('secureConnect', () => {
                if (socket.alpnProtocol !== 'h2') finish(new NoH2ByAlpn())
              })
              return socket
            },
          }
        : {}),
    })
    session.once('error', (error) => finish(error))
    session.once('close', () => finish(new Error('the connection closed before an answer')))
    const request = session.request({ ':path': `${pathname}${search}` })
    request.once('response', (headers) => finish(undefined, Number(headers[':status'])))
    // a stream cancelled by a failed session (ERR_HTTP2_STREAM_CANCEL) carries the session's error as its cause
    request.once('error', (error) => finish((error as Error & { cause?: Error }).cause ?? error))
    request.end()
  })
}

type Asked = 'http1' | 'h2' | 'h2c'

const protocolNames: Record<Asked, string> = {
  http1: 'HTTP/1.1',
  h2: 'HTTP/2 over TLS (h2 by ALPN)',
  h2c: 'HTTP/2 in clear text with prior knowledge (h2c)',
}

/** Asks `url` in one protocol: resolves when anything answers (any status), rejects with why not. */
async function ask(url: string, protocol: Asked): Promise<void> {
  if (protocol === 'http1') await httpGet(url, timeoutMs)
  else await http2Get(url, protocol === 'h2')
}

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message

/** Whether `url` answers in `protocol`, without throwing. */
const answers = (url: string, protocol: Asked) =>
  ask(url, protocol).then(
    () => true,
    () => false,
  )

/**
 * A url stack: nothing to launch, only check that the server answers there in the protocol of every phase
 * (http1 and websocket: an HTTP/1.1 GET; h2c: HTTP/2 with prior knowledge; h2: TLS with ALPN h2, as the engine
 * connects). A server that answers, but in another protocol than a phase's, is told apart from one that does not
 * answer at all, and the message says which protocol it speaks.
 */
export async function reachUrl(name: string, url: string, phases: readonly PhaseSpec[]): Promise<void> {
  const firstPhase = new Map<Asked, string>()
  for (const phase of phases) {
    const protocol = phase.protocol === 'websocket' ? 'http1' : phase.protocol
    if (!firstPhase.has(protocol)) firstPhase.set(protocol, phase.name)
  }
  if (firstPhase.size === 0) firstPhase.set('http1', '')
  for (const [protocol, phase] of firstPhase) {
    try {
      await ask(url, protocol)
    } catch (error) {
      throw await explain(name, url, protocol, phase, error)
    }
  }
}

/** Why `url` did not answer `protocol`: it speaks another one (which), its TLS failed, or nothing is there. */
async function explain(
  name: string,
  url: string,
  protocol: Asked,
  phase: string,
  error: unknown,
): Promise<BenchError> {
  const where = `${url} (stack "${name}")`
  const speaks = phase ? `, but phase "${phase}" speaks ${protocol}` : ''
  const secure = url.startsWith('https:')
  if (error instanceof NoH2ByAlpn || /NO_APPLICATION_PROTOCOL/.test(reason(error))) {
    return new BenchError(
      'stack',
      `${where} answers HTTP/1.1 only: its TLS handshake does not offer h2 by ALPN${speaks}`,
      'turn on HTTP/2 on its TLS listener (nginx: listen … ssl http2;), or give that phase protocol: http1',
    )
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(reason(error))) {
    return new BenchError(
      'stack',
      `${where}: its TLS certificate is not trusted here (${reason(error)})`,
      'give the server a certificate this machine trusts (or trust its CA: NODE_EXTRA_CA_CERTS=ca.pem), or fix the url',
    )
  }
  // the server is there, speaking something else: HTTP/1.1 where HTTP/2 was asked, or h2c where HTTP/1.1 was
  const other: Asked | undefined = protocol === 'http1' ? (secure ? undefined : 'h2c') : 'http1'
  if (other && (await answers(url, other))) {
    return new BenchError(
      'stack',
      `${where} answers ${other === 'http1' ? 'HTTP/1.1' : protocolNames.h2c} only${speaks}`,
      other === 'http1'
        ? protocol === 'h2c'
          ? 'turn on HTTP/2 in clear text with prior knowledge on the server (nginx: listen … http2; without ssl), or give that phase protocol: http1'
          : 'turn on HTTP/2 on its TLS listener (nginx: listen … ssl http2;), or give that phase protocol: http1'
        : 'give that phase protocol: h2c, or turn on HTTP/1.1 on the server',
    )
  }
  return new BenchError(
    'stack',
    `nothing answers at ${url} (stack "${name}") in ${protocolNames[protocol]}: ${reason(error)}`,
    'start the server first, or fix the url',
  )
}
