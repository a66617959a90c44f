/**
 * The width bench run's tables (and notes) must fit: the terminal's when the stream is one, unless --wide;
 * undefined (every column on one row) for a file, a pipe or --wide.
 */
export function tableWidth(
  wide: boolean | undefined,
  stream: NodeJS.WriteStream = process.stdout,
): number | undefined {
  if (wide || !stream.isTTY) return undefined
  return stream.columns || 80
}
