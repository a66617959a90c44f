/**
 * Polls `check` until it returns a value (anything but `undefined` or `false`) and resolves with it; fails
 * once `timeoutMs` has passed, naming what was awaited. Readiness and absences by observed state, never by
 * sleeping a fixed time.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
