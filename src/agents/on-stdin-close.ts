/**
 * `bench agent --exit-on-stdin-close`: runs `onClose` once stdin ends (EOF or error). This is how a launcher
 * stops an agent it started over ssh, pdsh or srun: ssh without a terminal sends the remote command no SIGHUP
 * when the session ends, but the command's stdin closes. Call it after the token was read from stdin (if it
 * was): it consumes whatever else arrives.
 */
export function onStdinClose(onClose: () => void, input: NodeJS.ReadableStream = process.stdin): void {
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    onClose()
  }
  input.on('data', () => undefined)
  input.once('end', close)
  input.once('close', close)
  input.once('error', close)
  input.resume()
}
