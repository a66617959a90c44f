/** Flags whose value may be "-" (standard input). */
const stdinFlags = new Set(['--token-file'])

/**
 * `--token-file -` → `--token-file=-`: yargs takes a lone "-" for an argument of its own (and refuses it as
 * unknown), so a flag's "-" value is joined to it before parsing.
 */
export function joinStdinValues(argv: readonly string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') return [...joined, ...argv.slice(i)]
    if (stdinFlags.has(arg) && argv[i + 1] === '-') {
      joined.push(`${arg}=-`)
      i++
    } else joined.push(arg)
  }
  return joined
}
