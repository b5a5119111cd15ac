/**
 * Rows of text cells as aligned lines: every cell but a row's last is padded to the widest cell
 * of its column, cells are joined by two spaces, and trailing spaces are cut. The one column
 * aligner of the timelines, `check`'s connection ends and the survey's table.
 */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = []
  for (const row of rows)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length)
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}
