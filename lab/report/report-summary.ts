// The top of the report: per run, a one-line verdict (where TLS ran, what was readable), a bar of
// where the UART bytes went, the credentials seen; then the summary figures side by side.
import type { TraceSummary } from '../trace/analysis-types.ts';
import { flagged } from '../trace/compare-table.ts';
import { secretBadgeClass, secretMark } from '../trace/secret-marks.ts';
import { commandRows, SUMMARY_ROWS } from '../trace/summary-rows.ts';
import { escapeHtml } from './html-escape.ts';

export function renderVerdicts(s: TraceSummary): string {
  const verdicts: Array<[string, string]> = [];
  const modem = s.handshakes.some((h) => h.seenAs === 'qsslopen');
  const mcu = s.handshakes.some((h) => h.seenAs !== 'qsslopen');
  verdicts.push([
    'info',
    modem && mcu
      ? 'TLS on the MCU and in the modem'
      : modem
        ? 'TLS in the modem'
        : mcu
          ? 'TLS on the MCU'
          : 'no TLS handshake seen',
  ]);
  verdicts.push(
    s.plaintextBytes.total > 0
      ? ['bad', `plaintext on the UART: ${s.plaintextBytes.total.toLocaleString('en-US')} B`]
      : ['good', 'no plaintext on the UART'],
  );
  verdicts.push(
    s.secrets.privateKeys > 0
      ? ['bad', `private key crossed the UART (${s.secrets.privateKeys})`]
      : ['good', 'no private key on the UART'],
  );
  if (s.secrets.certificates > 0) verdicts.push(['info', `certificates uploaded: ${s.secrets.certificates}`]);
  return `<div class="verdicts">${verdicts.map(([css, text]) => `<span class="verdict ${css}">${escapeHtml(text)}</span>`).join('')}</div>`;
}

const SEGMENTS: Array<[string, string, (s: TraceSummary) => number]> = [
  ['seg-at', 'AT overhead', (s) => s.atOverheadBytes.total],
  ['seg-hs', 'TLS handshake', (s) => s.handshakeBytes.total],
  ['seg-cipher', 'TLS other records (ciphertext)', (s) => s.tlsBytes.total - s.handshakeBytes.total],
  ['seg-plain', 'plaintext', (s) => s.plaintextBytes.total],
  ['seg-upload', 'uploaded files', (s) => s.uploadBytes],
];

export function renderByteBar(s: TraceSummary): string {
  const total = Math.max(1, s.bytes.total);
  const spans = SEGMENTS.map(([css, label, value]) => {
    const n = value(s);
    const title = `${label}: ${n.toLocaleString('en-US')} B`;
    return n > 0
      ? `<span class="${css}" style="width:${((100 * n) / total).toFixed(3)}%" title="${escapeHtml(title)}"></span>`
      : '';
  }).join('');
  const legend = SEGMENTS.map(
    ([css, label, value]) =>
      `<span><i class="${css}"></i>${escapeHtml(label)} ${value(s).toLocaleString('en-US')} B</span>`,
  ).join('');
  return `<div class="bar" role="img" aria-label="where the UART bytes went">${spans}</div><div class="legend">${legend}</div>`;
}

export function renderSecrets(s: TraceSummary): string {
  if (s.secrets.seen.length === 0) return '<p>No private key or certificate crossed the UART.</p>';
  const items = s.secrets.seen.map(
    (x) =>
      `<li class="${secretBadgeClass(x.kind)}">${secretMark(x.kind)} (${escapeHtml(x.label)}) via ${x.via}${x.file ? ` "${escapeHtml(x.file)}"` : ''} at ${x.t.toFixed(3)} ms</li>`,
  );
  return `<ul class="secrets">${items.join('')}</ul>`;
}

export function renderSummaryTable(summaries: readonly TraceSummary[]): string {
  const head = `<tr><th></th>${summaries.map((s) => `<th>${escapeHtml(s.label)}</th>`).join('')}</tr>`;
  const rows = [...SUMMARY_ROWS, ...commandRows(summaries)].map((row) => {
    const cells = summaries.map((s) => {
      const value = row.value(s);
      return `<td${flagged(row, value) ? ' class="flag"' : ''}>${escapeHtml(value)}</td>`;
    });
    return `<tr><th>${escapeHtml(row.label.trim())}</th>${cells.join('')}</tr>`;
  });
  return `<table class="summary">${head}${rows.join('')}</table>`;
}
