// One run's timeline: a row per AT line or data phase, MCU→modem on the left and modem→MCU on the
// right, each data phase coloured by what a reader of the UART could see in it.
import type { DataPhaseAnalysis, TraceAnalysis } from '../trace/analysis-types.ts';
import type { AtEvent } from '../trace/at-events.ts';
import type { RecordPart } from '../trace/payload-part.ts';
import { secretBadgeClass, secretMark } from '../trace/secret-marks.ts';
import { escapePreview, printableLine } from '../trace/text-preview.ts';
import { describeRecordPart, phaseHeadline } from '../trace/transcript.ts';
import { escapeHtml } from './html-escape.ts';

const MAX_RECORDS = 12;
const HEX_BYTES = 128;

export function renderTimeline(analysis: TraceAnalysis): string {
  const rows = analysis.events.map((event) => row(event, analysis)).join('\n');
  return `<table class="timeline">
<colgroup><col class="t"><col><col></colgroup>
<thead><tr><th>t (ms)</th><th>MCU → modem (tx)</th><th>modem → MCU (rx)</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function row(event: AtEvent, analysis: TraceAnalysis): string {
  let kind: string;
  let content: string;
  if (event.kind === 'data') {
    const phase = analysis.phaseOf.get(event);
    if (!phase) return '';
    kind = `data ${phase.category}`;
    content = renderPhase(phase);
  } else if (event.kind === 'command') {
    kind = 'at';
    content = `<code>${escapeHtml(printableLine(event.text))}</code>${event.command ? '' : tag('not AT')}`;
  } else {
    kind = event.role === 'final' || event.role === 'info' ? 'at' : event.role;
    const label = { urc: 'URC', echo: 'echo', prompt: 'prompt', ack: 'ack', stray: 'answers no command' }[
      event.role as string
    ];
    content = `<code>${escapeHtml(printableLine(event.text))}</code>${label ? tag(label) : ''}`;
  }
  const cell = `<td class="cell">${content}</td>`;
  const cells = event.dir === 'tx' ? `${cell}<td></td>` : `<td></td>${cell}`;
  return `<tr class="row ${kind}"><td class="t">${event.t.toFixed(3)}</td>${cells}</tr>`;
}

const tag = (text: string) => `<span class="tag">${escapeHtml(text)}</span>`;

function renderPhase(phase: DataPhaseAnalysis): string {
  const records = phase.parts.filter((p): p is RecordPart => p.kind === 'record');
  const clearHandshake = records.some((p) => !p.record.encrypted);
  const classes = ['phase', phase.category];
  if (clearHandshake) classes.push('clear-hs');
  if (phase.secrets.length) classes.push('has-secret');
  const badges = [badge(phase, clearHandshake)];
  for (const s of phase.secrets)
    badges.push(
      `<span class="badge ${secretBadgeClass(s.kind)}">${secretMark(s.kind)} (${escapeHtml(s.label)})</span>`,
    );
  const body: string[] = [];
  if (records.length) {
    const items = records.slice(0, MAX_RECORDS).map((p) => {
      const css = p.record.alert ? 'rec-alert' : p.record.encrypted ? 'rec-enc' : 'rec-clear';
      return `<li class="${css}">${escapeHtml(describeRecordPart(p))}</li>`;
    });
    if (records.length > MAX_RECORDS) items.push(`<li>… ${records.length - MAX_RECORDS} more</li>`);
    body.push(`<ul class="recs">${items.join('')}</ul>`);
  }
  const clear = clearBytes(phase);
  if (clear.length) {
    body.push(
      phase.clearLooksLike === 'text'
        ? `<div class="text mono">${escapeHtml(escapePreview(clear, 400))}</div>`
        : `<div class="mono">(binary, ${clear.length} B)</div>`,
    );
  }
  const payload = phase.event.payload;
  body.push(
    `<details><summary>bytes${payload.length > HEX_BYTES ? ` (first ${HEX_BYTES} of ${payload.length})` : ''}</summary><pre class="hex">${escapeHtml(hexDump(payload.subarray(0, HEX_BYTES)))}</pre></details>`,
  );
  return `<div class="${classes.join(' ')}"><div class="ph-head">${escapeHtml(phaseHeadline(phase))}${badges.join('')}</div>${body.join('')}</div>`;
}

function badge(phase: DataPhaseAnalysis, clearHandshake: boolean): string {
  switch (phase.category) {
    case 'plaintext':
      return '<span class="badge plaintext">PLAINTEXT</span>';
    case 'upload':
      return '<span class="badge upload">UPLOAD</span>';
    case 'mixed':
      return '<span class="badge mixed">TLS + PLAINTEXT</span>';
    case 'tls':
      return clearHandshake
        ? '<span class="badge hs">TLS HANDSHAKE (clear)</span>'
        : '<span class="badge tls">CIPHERTEXT</span>';
  }
}

function clearBytes(phase: DataPhaseAnalysis): Buffer {
  return Buffer.concat(
    phase.parts
      .filter((p) => p.kind === 'clear')
      .map((p) => phase.event.payload.subarray(p.offset, p.offset + p.length)),
  );
}

/** `0000  16 03 01 …  |....|`, 16 bytes a line. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const slice = bytes.subarray(at, at + 16);
    const hex = Array.from(slice, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines.join('\n');
}
