import type { ResultSet } from '../results/result-set-schema.js'

/** The capacity section in short, on stdout (the full tables: bench report). */
export function printCapacity(results: ResultSet): void {
  const capacity = results.capacity
  if (!capacity) return
  for (const s of capacity.searches) {
    process.stdout.write(
      `${s.stack}: ${s.status} max ${s.maxRate ?? '-'} req/s fail ${s.failRate ?? '-'} knee ${s.knee?.rate ?? '-'} machines ${s.machines ?? '-'} ${s.note ?? ''}\n`,
    )
  }
  for (const s of capacity.scaling) {
    process.stdout.write(
      `${s.stack}: ${JSON.stringify(s.points)} ${JSON.stringify(s.fit)} ${s.warnings.join(' | ')}\n`,
    )
  }
}
