/** How bench reports progress on stderr: plain lines, or a live line redrawn in place; colours or not. */
export interface ProgressMode {
  live: boolean
  colour: boolean
}

/**
 * A live line and colours only for a person at a terminal: stderr is a TTY, CI is not `true` and `--quiet`
 * is not given. NO_COLOR (set and not empty, no-color.org) turns the colours off, not the live line.
 */
export function progressMode(o: {
  isTTY: boolean
  env: Record<string, string | undefined>
  quiet: boolean
}): ProgressMode {
  const live = o.isTTY && !o.quiet && o.env.CI !== 'true'
  return { live, colour: live && !o.env.NO_COLOR }
}
