/** The colours a terminal line may use: verdicts (ok, suspect, failed) and de-emphasis. */
export type Colour = 'green' | 'yellow' | 'red' | 'dim'

const codes: Record<Colour, [open: string, close: string]> = {
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
}

/** `text` in `colour` (ANSI SGR) when `enabled`; unchanged otherwise. */
export function paint(text: string, colour: Colour, enabled: boolean): string {
  if (!enabled || text === '') return text
  const [open, close] = codes[colour]
  return `${open}${text}${close}`
}
