/**
 * Runs `work` with a signal that Ctrl-C (SIGINT) or SIGTERM aborts: the load stops, every process bench
 * started is stopped, and the results written so far stay valid.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const interrupt = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted)
      process.stderr.write(`\n${signal}: stopping the load and every process bench started…\n`)
    controller.abort()
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}
