/**
 * Every relative link and heading anchor of the README and docs/ checked offline: the file a link names exists,
 * and the heading it points at (#anchor) is one of that page's, slugged as GitHub does.
 *
 * A small checker over github-slugger (GitHub's own slug rules, and its -1, -2 for repeated headings) rather than
 * remark-validate-links: github-slugger is 1 package of 48 KB; remark-validate-links with remark-cli (needed to
 * see across files) is 165 packages of 21 MB, the unified ecosystem, for the same answer here. On bench's README
 * and docs/ (18 pages) both found the same broken links (a moved apps/README.md link, and agents-anywhere.md
 * before it landed); remark-cli took 0.72 s, this checker 18 ms (2026-12-07, this machine, busy). What it reads
 * of Markdown: ATX headings (`## Title`), `<a name|id="…">`, and inline links and
 * images outside fenced code and code spans, `[text](target)`, and reference definitions, `[id]: target`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import GithubSlugger from 'github-slugger'

/** The anchors a page's headings get on GitHub, and any `<a name|id="…">` it sets. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger()
  const anchors = new Set<string>()
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line.raw)
    if (heading) anchors.add(slugger.slug(headingText(heading[1] as string)))
    for (const html of line.text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(html[1] as string)
  }
  return anchors
}

/** A heading as GitHub renders it before slugging: links are their text, emphasis and HTML tags gone. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*)/g, '')
}

interface Line {
  /** With code spans blanked out. */
  text: string
  raw: string
  number: number
}

/** The lines outside fenced code blocks. */
function proseLines(markdown: string): Line[] {
  const lines: Line[] = []
  let fence: string | undefined
  markdown.split('\n').forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1]
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
      return
    }
    if (marker) {
      fence = marker
      return
    }
    lines.push({
      text: text.replace(/(`+)(?:(?!\1)[\s\S])+?\1/g, (span) => ' '.repeat(span.length)),
      raw: text,
      number: index + 1,
    })
  })
  return lines
}

/** The link targets of a page, with their line. */
function linkTargets(markdown: string): { target: string; line: number }[] {
  const targets: { target: string; line: number }[] = []
  for (const line of proseLines(markdown)) {
    for (const link of line.text.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g))
      targets.push({ target: link[1] as string, line: line.number })
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line.text)
    if (definition) targets.push({ target: definition[1] as string, line: line.number })
  }
  return targets
}

/**
 * The broken links of these pages (paths relative to root), each as "page:line: target — why"; none when every
 * relative link names a file that exists and every anchor a heading of its page. Links with a scheme
 * (https:, mailto:) are not followed: this check is offline.
 */
export function brokenLinks(root: string, pages: string[]): string[] {
  const anchorsOf = new Map<string, Set<string>>()
  const anchors = (file: string) => {
    let set = anchorsOf.get(file)
    if (!set) {
      set = headingAnchors(readFileSync(file, 'utf8'))
      anchorsOf.set(file, set)
    }
    return set
  }
  const problems: string[] = []
  for (const page of pages) {
    const file = resolve(root, page)
    for (const { target, line } of linkTargets(readFileSync(file, 'utf8'))) {
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      const [path = '', anchor] = target.split('#', 2)
      const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path))
      const where = `${page}:${line}: ${target}`
      if (!existsSync(linked)) {
        problems.push(`${where} — no file ${relative(root, linked)}`)
        continue
      }
      if (anchor === undefined || anchor === '' || !linked.endsWith('.md')) continue
      if (!anchors(linked).has(decodeURIComponent(anchor)))
        problems.push(`${where} — no heading #${anchor} in ${relative(root, linked) || join('.', page)}`)
    }
  }
  return problems
}
