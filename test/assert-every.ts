import assert from 'node:assert/strict'

/**
 * Asserts that `list` has at least one item and that every item satisfies `predicate`: `[].every(p)` is true
 * for any p, so an assertion over a list that came out empty would pass without testing anything.
 */
export function assertEvery<T>(list: Iterable<T>, predicate: (item: T) => boolean, message: string): void {
  const items = [...list]
  assert.ok(items.length > 0, `${message}: the list is empty, so nothing was checked`)
  const failing = items.findIndex((item) => !predicate(item))
  assert.ok(failing < 0, `${message}: item ${failing} fails: ${JSON.stringify(items[failing])}`)
}
