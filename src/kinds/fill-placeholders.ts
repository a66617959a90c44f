/** `text` with every `{name}` of `values` replaced by its value; other braces are left alone. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => values[key] ?? whole)
}
