/** One thing a report says in words, computed from the results, with the cells it comes from. */
export interface Finding {
  topic: 'fastest' | 'proxy' | 'latency' | 'errors' | 'failed' | 'suspect' | 'claim' | 'scaling' | 'change'
  text: string
  /** The cells it is computed from, as the tables name them: "node · ladder c=10". */
  cells: string[]
  /** A seed claim: whether this run's numbers support it. */
  verdict?: 'supported' | 'not supported' | 'mixed'
}
