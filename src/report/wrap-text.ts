/**
 * Text broken at spaces into lines of at most `width` characters, every line after the first indented by
 * `indent` (the first keeps its own); a word longer than a line is cut.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const pad = indent.length < width - 10 ? indent : '' // room for words after the indent
  const lines: string[] = []
  let rest = text
  for (let first = true; rest.length > width; first = false) {
    const start = first ? (/^ */.exec(rest)?.[0].length ?? 0) : pad.length
    let at = rest.lastIndexOf(' ', width)
    if (at <= start) at = width // no space to break at: cut the word
    lines.push(rest.slice(0, at).trimEnd())
    rest = `${pad}${rest.slice(at).trimStart()}`
  }
  lines.push(rest)
  return lines
}
