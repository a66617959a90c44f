/** One problem found in a profile: where it is, what is wrong, how to fix it. */
export interface ProfileIssue {
  path: (string | number)[]
  line?: number
  column?: number
  message: string
  hint: string
}

/** `stacks[2].proxy` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    '',
  )
}

export function formatIssue(file: string, issue: ProfileIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`
  const path = formatPath(issue.path)
  return `${where}  ${path ? `${path}: ` : ''}${issue.message}\n    fix: ${issue.hint}`
}
