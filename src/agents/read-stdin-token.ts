import { BenchError } from '../bench-error.js'

/**
 * `--token-file -`: the token is the first line of stdin (or all of it, when stdin ends without a newline:
 * `printf %s "$TOKEN" |`). It resolves on the first line and leaves stdin open, so that a launcher can keep the
 * pipe for the session's life and an agent started with `--exit-on-stdin-close` (onStdinClose) exits when it
 * closes. Stdin no longer keeps the process alive afterwards: the agent ends when its run does, stdin open or not.
 */
export function readStdinToken(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const done = () => {
      input.off('data', onData)
      input.off('end', onEnd)
      input.pause()
      // an open stdin must not keep the agent alive once its run is done (a pipe or a terminal is a socket)
      const socket = input as NodeJS.ReadableStream & { unref?: () => void }
      socket.unref?.()
    }
    const take = (token: string) => {
      done()
      if (token === '') reject(noToken('its first line is empty'))
      else resolve(token)
    }
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString()
      const newline = buffered.indexOf('\n')
      if (newline >= 0) take(buffered.slice(0, newline).trim())
      else if (buffered.length > 4096) {
        done()
        reject(noToken('no newline in its first 4096 characters'))
      }
    }
    const onEnd = () => take(buffered.trim())
    input.on('data', onData)
    input.on('end', onEnd)
  })
}

function noToken(why: string): BenchError {
  return new BenchError(
    'input',
    `--token-file -: no token on stdin (${why})`,
    'write the token as the first line of stdin, or use --token-file FILE or BENCH_AGENT_TOKEN',
  )
}
