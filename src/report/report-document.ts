import type { ResultSet } from '../results/results-file-schema.js'
import { capacityCharts } from './capacity-charts.js'
import { capacityTables } from './capacity-tables.js'
import { findCapacity } from './find-capacity.js'
import type { Finding } from './finding.js'
import { gateTable } from './gate-table.js'
import type { ReportChart } from './report-chart.js'
import { reportFacts } from './report-facts.js'
import { reportFindings } from './report-findings.js'
import type { ReportTable } from './report-table.js'
import { resultsTables } from './results-tables.js'
import { runCharts } from './run-charts.js'

/** What a report says, whatever it is drawn as: the HTML page and the Markdown both render this. */
export interface ReportDocument {
  title: string
  facts: [label: string, value: string][]
  /** What the numbers say, in words, each citing its cells: the report opens with them. */
  findings: Finding[]
  warnings: string[]
  charts: ReportChart[]
  /** What the charts show, for the Markdown, which has none. */
  chartsNote: string
  tables: ReportTable[]
}

/**
 * A results file as a report: the capacity section of bench capacity (the searches, the sweep, sizing), or the
 * phases of bench run (each stack at each step, and the gate's verdict when the run was gated).
 */
export function reportDocument(results: ResultSet): ReportDocument {
  const facts = reportFacts(results)
  const warnings = results.warnings.map((w) => `${w.stack ? `${w.stack}: ` : ''}${w.message} — fix: ${w.fix}`)
  if (results.capacity) {
    return {
      title: `Capacity report: ${results.profile.name}`,
      facts,
      findings: findCapacity(results),
      warnings,
      charts: capacityCharts(results),
      chartsNote: 'latency against offered rate, throughput against workers, proxy cost',
      tables: capacityTables(results),
    }
  }
  return {
    title: `Benchmark report: ${results.profile.name}`,
    facts,
    findings: reportFindings(results),
    warnings,
    charts: runCharts(results),
    chartsNote: 'throughput and latency of every stack at every step, per phase',
    tables: [...resultsTables(results), ...(results.gate ? [gateTable(results.gate)] : [])],
  }
}
