import { readFileSync } from 'node:fs'

/** The versions of bench itself and of the autocannon package it carries, read from their package.json. */
export function packageVersions(): { bench: string; autocannon: string } {
  const read = (path: string) =>
    JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }
  return {
    bench: read('../../../package.json').version,
    autocannon: read('../../../node_modules/autocannon/package.json').version,
  }
}
