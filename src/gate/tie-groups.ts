/** The sizes of the groups of equal values (only groups of two or more): [2, 3] for 1 1 2 3 3 3. */
export function tieGroups(values: readonly number[]): number[] {
  const sorted = [...values].sort((x, y) => x - y)
  const groups: number[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j < sorted.length && sorted[j] === sorted[i]) j++
    if (j - i > 1) groups.push(j - i)
    i = j
  }
  return groups
}
