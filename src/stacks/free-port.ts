import { createServer } from 'node:net'

function listenOnce(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(undefined))
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : undefined
      server.close(() => resolve(bound))
    })
  })
}

/** A port the kernel says is free on `host` now. */
export async function freePort(host: string): Promise<number> {
  const port = await listenOnce(host, 0)
  if (port === undefined) throw new Error(`cannot bind any port on ${host}`)
  return port
}

export async function isPortFree(host: string, port: number): Promise<boolean> {
  return (await listenOnce(host, port)) === port
}
