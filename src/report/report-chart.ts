/** A chart as a Vega-Lite spec (plain JSON: the Vega types stay in the renderer's adapter). */
export interface ReportChart {
  /** Stable id for the figure: "latency", "scaling:<stack>", "throughput:<phase>". */
  name: string
  title: string
  caption: string
  spec: Record<string, unknown>
}

/** Every chart's plot area, px. */
export const chartSize = { width: 640, height: 320 }

/** Log scales cannot show 0 ms: anything faster is drawn at 1 µs. */
export const minChartMs = 0.001
