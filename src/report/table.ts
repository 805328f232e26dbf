/**
 * Plain-text tables for the terminal (`flaskguard routes`, `flaskguard rules`): columns padded to
 * their widest cell, the last column left ragged so long text does not pad every line.
 */

export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();

  return `${all.map(line).join("\n")}\n`;
}
