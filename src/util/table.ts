// The plain-text table every command prints: columns left-aligned to the widest cell, two spaces apart,
// no trailing blanks (the last column is never padded), optionally a dashed rule under the header.
export function formatTable(rows: string[][], options: { rule?: boolean } = {}): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = rows.map(line);
  if (options.rule && lines.length > 0) lines.splice(1, 0, line(widths.map((w) => '-'.repeat(w))));
  return lines;
}
