import { escapeMarkup } from '../escape-markup.js'

/** Tags TechEmpower's fortunes verifier skips (a script's content too). */
const ignoredTags = new Set(['meta', 'link', 'script', 'thead', 'tbody'])
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", mdash: '—' }

/** Text between tags with its character references decoded; an unknown named one is kept as written. */
function decodeText(text: string): string {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return named[ref] ?? whole
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/**
 * A fortunes page reduced the way TechEmpower's verifier reduces it before comparing, so that every correct
 * rendering gives the same string: tags lower-cased without attributes or whitespace around them, the doctype
 * lower-cased, <thead>/<tbody>/<meta>/<link>/<script> dropped, and the text's escaping made canonical (`&#34;`,
 * `&quot;` and a bare `"` are the same; a `<` in a message must have been escaped, or it reads as a tag).
 */
export function normalizeFortunesHtml(html: string): string {
  const out: string[] = []
  let inScript = false
  const tokens = /<!([^>]*)>|<(\/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|([^<]+|<)/g
  for (const [, decl, close, tag, text] of html.matchAll(tokens)) {
    if (decl !== undefined) {
      if (!inScript) out.push(`<!${decl.trim().toLowerCase()}>`)
    } else if (tag !== undefined) {
      const name = tag.toLowerCase()
      if (name === 'script') inScript = close !== '/'
      else if (!inScript && !ignoredTags.has(name)) out.push(`<${close}${name}>`)
    } else if (text !== undefined && !inScript && text.trim() !== '') {
      out.push(escapeMarkup(decodeText(text)))
    }
  }
  return out.join('')
}
