import { ADDED_FORTUNE, FORTUNES } from '../database/techempower-data.js'
import { escapeMarkup } from '../escape-markup.js'

/**
 * TechEmpower's fortunes page for the seeded rows: every fortune plus the one added at request time, sorted by
 * message (code unit order), HTML-escaped (& < > "; an apostrophe needs none between tags), in their template.
 */
export function expectedFortunesHtml(): string {
  const rows = [...FORTUNES, ADDED_FORTUNE].sort((a, b) =>
    a.message < b.message ? -1 : a.message > b.message ? 1 : 0,
  )
  return (
    '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>' +
    rows.map((f) => `<tr><td>${f.id}</td><td>${escapeMarkup(f.message)}</td></tr>`).join('') +
    '</table></body></html>'
  )
}
