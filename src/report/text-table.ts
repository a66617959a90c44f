import Table from 'cli-table3'

/** A terminal table with a header row and no row separators: the one place that knows cli-table3. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({ head: [...head], style: { head: [], border: [], compact: true } })
  for (const row of rows) table.push([...row])
  return table.toString()
}
