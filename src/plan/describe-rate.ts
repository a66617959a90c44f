/** "100→500 req/s" or "2,000 req/s": an open-loop step's offered rate, as the plan names it. */
export function describeRate(rate: { from: number; to: number }): string {
  const integer = (value: number) => Math.round(value).toLocaleString('en-US')
  return rate.from === rate.to
    ? `${integer(rate.from)} req/s`
    : `${integer(rate.from)}→${integer(rate.to)} req/s`
}
