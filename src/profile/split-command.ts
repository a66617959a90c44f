import { BenchError } from '../bench-error.js'

/**
 * A command line → its words, as a POSIX shell splits them: blanks separate words, '…' is literal, "…" keeps
 * blanks (\" and \\ escape inside it), a backslash outside quotes escapes the next character. No expansion.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  const add = (text: string) => {
    word = (word ?? '') + text
  }
  let quote: "'" | '"' | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (quote === "'") {
      if (c === "'") quote = undefined
      else add(c)
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) add(line[++i] as string)
      else add(c)
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (c === "'" || c === '"') {
      quote = c
      add('')
    } else if (c === '\\' && i + 1 < line.length) {
      add(line[++i] as string)
    } else {
      add(c)
    }
  }
  if (quote) {
    throw new BenchError(
      'input',
      `the command has an unterminated ${quote === '"' ? 'double' : 'single'} quote: ${line}`,
      'close the quote, e.g. --app "gunicorn \'myapp:create_app()\'"',
    )
  }
  if (word !== undefined) words.push(word)
  return words
}
