import { readFileSync } from 'node:fs'

/**
 * The user a server that refuses root runs as when bench is root: the first of `names` in /etc/passwd (the
 * `postgres` user Debian's package creates, then `nobody`); undefined when bench is not root (it runs as
 * bench's own user).
 */
export function unprivilegedUser(
  names: readonly string[] = ['postgres', 'nobody'],
): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  let passwd = ''
  try {
    passwd = readFileSync('/etc/passwd', 'utf8')
  } catch {
    // no passwd file: fall back to nobody's usual ids
  }
  const entries = passwd.split('\n').map((line) => line.split(':'))
  for (const name of names) {
    const entry = entries.find((fields) => fields[0] === name)
    if (entry) return { name, uid: Number(entry[2]), gid: Number(entry[3]) }
  }
  return { name: 'nobody', uid: 65_534, gid: 65_534 }
}
