/** A table as data: the terminal, Markdown and HTML reporters each draw it their own way. */
export interface ReportTable {
  title: string
  head: string[]
  rows: string[][]
  /** Per row: a suspect or failed cell, marked wherever the table is drawn (HTML: a tinted row). */
  rowMarks?: ('suspect' | 'failed' | undefined)[]
  /** Lines printed under the table: warnings, notes, what a sign means. */
  notes?: string[]
}
