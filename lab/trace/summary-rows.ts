// The summary as labelled rows of text: one layout for the transcript's footer, the side-by-side
// comparison and the HTML report, so the three always show the same figures.
import type { DirectionCounts, TraceSummary } from './analysis-types.ts';

export interface SummaryRow {
  label: string;
  value: (summary: TraceSummary) => string;
  /** Rows that, when they differ between two runs, matter for security (flag them). */
  security?: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');
const both = (c: DirectionCounts) => `${n(c.total)} (tx ${n(c.tx)} / rx ${n(c.rx)})`;
const tally = (map: Record<string, number>) =>
  Object.entries(map)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name} ${count}`)
    .join(', ') || '—';

function handshakeTimes(s: TraceSummary): string {
  if (s.handshakes.length === 0) return '—';
  return s.handshakes
    .map(
      (h) =>
        `${h.durationMs.toFixed(1)} ms ${h.seenAs === 'qsslopen' ? 'in the modem' : 'on the MCU'}${h.ok ? '' : ' (failed)'}`,
    )
    .join(', ');
}

export const SUMMARY_ROWS: SummaryRow[] = [
  { label: 'UART bytes', value: (s) => both(s.bytes) },
  { label: 'AT overhead bytes', value: (s) => both(s.atOverheadBytes) },
  { label: 'TLS record bytes', value: (s) => both(s.tlsBytes) },
  { label: '  of which handshake', value: (s) => both(s.handshakeBytes) },
  { label: 'plaintext bytes', value: (s) => both(s.plaintextBytes), security: true },
  { label: 'uploaded file bytes', value: (s) => n(s.uploadBytes) },
  { label: 'private keys seen', value: (s) => n(s.secrets.privateKeys), security: true },
  { label: 'certificates seen', value: (s) => n(s.secrets.certificates) },
  { label: 'TLS records', value: (s) => tally(s.recordsByType) },
  { label: 'handshake messages', value: (s) => tally(s.handshakeMessages) },
  { label: 'handshake time', value: handshakeTimes },
  { label: 'trace duration', value: (s) => `${(s.durationMs / 1000).toFixed(3)} s` },
  { label: 'AT commands', value: (s) => n(Object.values(s.commandsByName).reduce((a, b) => a + b, 0)) },
  { label: 'failed commands', value: (s) => n(s.failedCommands) },
  { label: 'URCs', value: (s) => tally(s.urcsByName) },
  { label: 'data phases', value: (s) => tally(s.dataPhasesByCommand) },
  { label: 'framing warnings', value: (s) => n(s.warnings) },
  { label: 'UART faults injected', value: (s) => tally(s.uartFaults ?? {}) },
];

/** One row per command name used by any of the runs, counts side by side. */
export function commandRows(summaries: readonly TraceSummary[]): SummaryRow[] {
  const names = [...new Set(summaries.flatMap((s) => Object.keys(s.commandsByName)))].sort();
  return names.map((name) => ({ label: `  ${name}`, value: (s) => n(s.commandsByName[name] ?? 0) }));
}
