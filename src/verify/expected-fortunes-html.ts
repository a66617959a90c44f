import { ADDED_FORTUNE, FORTUNES } from '../database/techempower-data.js'

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** HTML-escapes text for an element's content (and an attribute's): & < > " '. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] as string)
}

/**
 * TechEmpower's fortunes page for the seeded rows: every fortune plus the one added at request time, sorted by
 * message (code unit order), HTML-escaped, in their template.
 */
export function expectedFortunesHtml(): string {
  const rows = [...FORTUNES, ADDED_FORTUNE].sort((a, b) =>
    a.message < b.message ? -1 : a.message > b.message ? 1 : 0,
  )
  return (
    '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>' +
    rows.map((f) => `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`).join('') +
    '</table></body></html>'
  )
}
