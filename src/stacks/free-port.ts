import { createServer } from 'node:net'
import { BenchError } from '../bench-error.js'

/** The port bound on `host` (and released at once), or why it could not be (an errno code). */
function listenOnce(host: string, port: number): Promise<{ port: number } | { code: string }> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? error.message }))
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve({ port: bound }))
    })
  })
}

/**
 * A port the kernel says is free on `host` now. Throws a BenchError (environment) when nothing can bind there:
 * most often `host` is not an address of this machine (EADDRNOTAVAIL).
 */
export async function freePort(host: string): Promise<number> {
  const bound = await listenOnce(host, 0)
  if ('port' in bound) return bound.port
  throw new BenchError(
    'environment',
    bound.code === 'EADDRNOTAVAIL'
      ? `host ${host} is not an address of this machine (EADDRNOTAVAIL): stacks cannot listen there`
      : `cannot listen on any port of ${host}: ${bound.code}`,
    bound.code === 'EADDRNOTAVAIL'
      ? `set host: to an address that \`ip -brief address\` lists, or add it to an interface first (ip address add ${host}/… dev …)`
      : 'check that the address is up (ip -brief address) and that bench may bind there',
  )
}

export async function isPortFree(host: string, port: number): Promise<boolean> {
  const bound = await listenOnce(host, port)
  return 'port' in bound && bound.port === port
}
