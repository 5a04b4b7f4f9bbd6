// `tlssim trace A --compare B`: the summary figures of two (or more) runs side by side, typically the
// two modes of one scenario. Security-relevant figures that are not zero are flagged.
import type { TraceSummary } from './analysis-types.ts';
import { commandRows, SUMMARY_ROWS, type SummaryRow } from './summary-rows.ts';

/** Widest a column gets; longer values (tallies) wrap after a comma. */
const COLUMN_WIDTH = 44;

/** Whether a security row's value says something crossed (its first number is not zero). */
export function flagged(row: SummaryRow, value: string): boolean {
  return row.security === true && /^[1-9]/.test(value.replace(/,/g, ''));
}

export function renderCompareTable(summaries: readonly TraceSummary[]): string {
  const letter = (i: number) => String.fromCharCode(65 + i);
  const header: SummaryRow = { label: 'run', value: () => '' };
  const rows: SummaryRow[] = [header, ...SUMMARY_ROWS, { label: 'commands by name', value: () => '' }];
  rows.push(...commandRows(summaries));
  const cells = rows.map((row) =>
    summaries.map((s, i) => {
      if (row === header) return [`${letter(i)}: ${s.label}`];
      const value = row.value(s);
      return wrap(flagged(row, value) ? `${value} ⚠` : value);
    }),
  );
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const widths = summaries.map((_, i) => Math.max(...cells.flatMap((c) => c[i].map((l) => l.length))));
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const height = Math.max(...cells[r].map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const label = k === 0 ? row.label : '';
      const values = cells[r].map((c, i) => (c[k] ?? '').padEnd(widths[i]));
      lines.push(`${label.padEnd(labelWidth)}  ${values.join('  ')}`.trimEnd());
    }
    if (row === header)
      lines.push(`${'-'.repeat(labelWidth)}  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
  const files = summaries.map((s, i) => `  ${letter(i)}: ${s.file ?? s.label}`);
  return `${lines.join('\n')}\n\n${files.join('\n')}\n`;
}

/** Cuts a long value after its commas so that each piece fits the column. */
function wrap(value: string): string[] {
  if (value.length <= COLUMN_WIDTH) return [value];
  const out: string[] = [];
  let line = '';
  for (const piece of value.split(/(?<=, )/)) {
    if (line && line.length + piece.length > COLUMN_WIDTH) {
      out.push(line.trimEnd());
      line = '';
    }
    line += piece;
  }
  if (line) out.push(line.trimEnd());
  return out;
}
