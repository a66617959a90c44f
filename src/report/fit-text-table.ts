import { textTable } from './text-table.js'
import { wrapText } from './wrap-text.js'

const widest = (text: string) => Math.max(0, ...text.split('\n').map((line) => line.length))

/**
 * A terminal table at most `width` characters wide: as one table when it fits; else the columns named in
 * `first` (the figures read first) in the first table and the rest in more tables, each beginning with the
 * `keys` columns that say which row is which (stack, step). A column too wide even beside those is written
 * below, one wrapped line per row.
 */
export function fitTextTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
  { keys, first }: { keys: number; first: readonly string[] },
): string {
  const whole = textTable(head, rows)
  if (widest(whole) <= width) return whole
  const ids = head.slice(0, keys).map((_, i) => i)
  const others = head.map((_, i) => i).filter((i) => i >= keys)
  const order = [
    ...others.filter((i) => first.includes(head[i] as string)),
    ...others.filter((i) => !first.includes(head[i] as string)),
  ]
  const draw = (columns: number[]) =>
    textTable(
      columns.map((i) => head[i] as string),
      rows.map((row) => columns.map((i) => row[i] ?? '')),
    )
  const tables: string[] = []
  const below: number[] = []
  let current: number[] = []
  for (const column of order) {
    if (widest(draw([...ids, ...current, column])) <= width) {
      current.push(column)
      continue
    }
    if (current.length > 0) tables.push(draw([...ids, ...current]))
    current = []
    if (widest(draw([...ids, column])) <= width) current = [column]
    else below.push(column)
  }
  if (current.length > 0) tables.push(draw([...ids, ...current]))
  const lines = below.flatMap((column) => [
    `${head[column]}:`,
    ...rows
      .filter((row) => row[column])
      .flatMap((row) => wrapText(`  ${ids.map((i) => row[i]).join(' ')}: ${row[column]}`, width, '    ')),
  ])
  return [...tables, ...lines].join('\n')
}
