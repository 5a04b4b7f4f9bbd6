// Cost tables are printed as GitHub-flavoured Markdown so they can be pasted into docs/costs.md as they
// are; columns are padded so the raw text reads as a table in the terminal too.

/** A printed table and the observations computed from the same figures, for the closing note. */
export interface CostTable {
  table: string;
  notes: string[];
}

/** A Markdown table: the first column left-aligned (labels), the others right-aligned (figures). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
