// `tlssim trace FILE`: the run as an annotated transcript. AT lines as text, URCs and echo marked,
// each data phase summarised with what it carried: TLS records, plaintext, uploads, credentials.
// Rendered from a held analysis, or written line by line as a streaming analysis goes.
import type { TraceFault, TraceHeader } from '../../shared/trace/trace-format.ts';
import type { AnalysisStream } from './analysis-stream.ts';
import type { DataPhaseAnalysis, TraceAnalysis, TraceSummary } from './analysis-types.ts';
import type { AtEvent } from './at-events.ts';
import type { RecordPart } from './payload-part.ts';
import { secretMark } from './secret-marks.ts';
import { SUMMARY_ROWS } from './summary-rows.ts';
import { escapePreview, hexPreview, printableLine } from './text-preview.ts';

const MAX_PARTS_SHOWN = 12;
const INDENT = ' '.repeat(20);
/** Where the latency column starts after a command line (longer lines push it right). */
const LATENCY_COLUMN = 48;

/** `⏱ 3.208 ms OK`: from the command's first byte to its final result; empty when none came. */
export function commandLatency(event: Extract<AtEvent, { kind: 'command' }>): string {
  if (event.answeredAt === undefined) return '';
  const result = (event.resultText ?? '').trim();
  return `⏱ ${(event.answeredAt - event.t).toFixed(3)} ms${result ? ` ${result}` : ''}`;
}

export function renderTranscript(analysis: TraceAnalysis): string {
  const out: string[] = [transcriptHead(analysis.header, analysis.label)];
  // Fault marks go in among the events by time: a mark is written when the line reaches its byte.
  let nextFault = 0;
  const faults = analysis.faults ?? [];
  for (const event of analysis.events) {
    while (nextFault < faults.length && faults[nextFault]!.t <= event.t)
      out.push(renderFault(faults[nextFault++]!));
    out.push(...renderEvent(event, event.kind === 'data' ? analysis.phaseOf.get(event) : undefined));
  }
  while (nextFault < faults.length) out.push(renderFault(faults[nextFault++]!));
  out.push(transcriptTail(analysis.summary, analysis.warnings));
  return `${out.join('\n')}\n`;
}

/**
 * The same transcript, written as the analysis streams: its events and fault marks are rendered as they
 * come, and the summary once the trace has been read. `write` gets whole lines.
 */
export function writeTranscript(stream: AnalysisStream, write: (text: string) => void): void {
  write(`${transcriptHead(stream.header, stream.label)}\n`);
  for (const item of stream.items()) {
    const lines = item.kind === 'fault' ? [renderFault(item.fault)] : renderEvent(item.event, item.phase);
    for (const line of lines) write(`${line}\n`);
  }
  write(`${transcriptTail(stream.summary, stream.warnings)}\n`);
}

/** The opening lines: which run, and how to read what follows. */
function transcriptHead(header: TraceHeader, label: string): string {
  return [
    `tlssim trace: ${label}, ${header.baud} ${header.frame}, started ${header.started}`,
    'tx = MCU → modem, rx = modem → MCU; times in ms since the trace started; after a command, how long the modem took to answer it',
    '',
  ].join('\n');
}

/** The summary rows, each credential seen, and the framing warnings. */
function transcriptTail(summary: TraceSummary, warnings: readonly string[]): string {
  const out = ['', 'Summary'];
  const width = Math.max(...SUMMARY_ROWS.map((r) => r.label.length));
  for (const row of SUMMARY_ROWS) out.push(`  ${row.label.padEnd(width)}  ${row.value(summary)}`);
  for (const s of summary.secrets.seen)
    out.push(
      `  ${secretMark(s.kind)} at ${s.t.toFixed(3)} ms via ${s.via}${s.file ? ` "${s.file}"` : ''} (${s.label})`,
    );
  if (warnings.length) {
    out.push('', 'Framing warnings');
    for (const w of warnings) out.push(`  ${w}`);
  }
  return out.join('\n');
}

/** e.g. `⚡ bit-flip at rx byte 1234: 0x4f → 0x4b` (trace-format.ts, TraceFault). */
export function describeFault(f: TraceFault): string {
  const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, '0')}`;
  const at = `at ${f.dir} byte ${f.offset}`;
  const d = f.detail;
  switch (f.fault) {
    case 'bit-flip':
      return `⚡ bit-flip ${at}: ${hex(d.sent)} → ${hex((d.sent ?? 0) ^ (d.mask ?? 0))}`;
    case 'drop':
      return `⚡ byte lost before ${f.dir} byte ${f.offset}: ${hex(d.sent)}`;
    case 'noise':
      return `⚡ noise byte inserted ${at}: ${hex(d.byte)}`;
    case 'stall':
      return `⚡ line stalled ${d.ms} ms before ${f.dir} byte ${f.offset}`;
    case 'break':
      return `⚡ break ${at}: 0x00 read, line held ${d.ms} ms, ${d.lost} sent bytes lost`;
  }
}

function renderFault(f: TraceFault): string {
  return `${head(f.t, f.dir)}${describeFault(f)}`;
}

function head(t: number, dir: string): string {
  return `${t.toFixed(3).padStart(12)}  ${dir}  `;
}

function renderEvent(event: AtEvent, phase: DataPhaseAnalysis | undefined): string[] {
  if (event.kind === 'command') {
    const note = event.command ? '' : '   [not an AT command]';
    const line = `${printableLine(event.text)}${note}`;
    const latency = commandLatency(event);
    return [`${head(event.t, 'tx')}${latency ? `${line.padEnd(LATENCY_COLUMN)} ${latency}` : line}`];
  }
  if (event.kind === 'line') {
    const text = printableLine(event.role === 'prompt' ? event.text.trimEnd() : event.text);
    const tag = {
      urc: 'URC',
      echo: 'echo',
      prompt: 'prompt',
      ack: 'upload ack',
      stray: 'answers no command',
      info: '',
      final: '',
    }[event.role];
    return [`${head(event.t, 'rx')}${tag ? `${text.padEnd(40)} [${tag}]` : text}`];
  }
  return phase ? renderPhase(phase) : [];
}

export function phaseHeadline(phase: DataPhaseAnalysis): string {
  const { event } = phase;
  const arrow = event.dir === 'tx' ? '→' : '←';
  const target = event.via === 'QFUPL' ? `file "${event.file}"` : (phase.connection?.label ?? 'socket ?');
  const size =
    event.expected !== undefined && !event.complete
      ? `${event.payload.length} of ${event.expected} B (incomplete)`
      : `${event.payload.length} B`;
  const peer = event.peer ? ` ${event.dir === 'tx' ? 'to' : 'from'} ${event.peer}` : '';
  return `${event.via} data ${arrow} ${target}${peer}, ${size}`;
}

/** One line: what the phase carried, as its category says. */
export function phaseVerdict(phase: DataPhaseAnalysis): string {
  const records = phase.parts.filter((p): p is RecordPart => p.kind === 'record');
  const protocol = records[0]?.record.protocol ?? 'TLS';
  const clear = clearPreview(phase);
  switch (phase.category) {
    case 'upload':
      return `UPLOAD ${clear}`;
    case 'plaintext':
      return `PLAINTEXT ${clear}`;
    case 'tls':
      return `${protocol} ${records.length} record${records.length === 1 ? '' : 's'} (${recordNature(records)})`;
    case 'mixed':
      return `${protocol} records and PLAINTEXT ${clear}`;
  }
}

/** Whether an observer of the UART can read the records: handshake in clear, or only ciphertext. */
function recordNature(records: RecordPart[]): string {
  const clear = records.some((p) => !p.record.encrypted);
  const encrypted = records.some((p) => p.record.encrypted);
  return clear && encrypted ? 'handshake in clear, ciphertext' : clear ? 'handshake in clear' : 'ciphertext';
}

function clearPreview(phase: DataPhaseAnalysis): string {
  const clear = Buffer.concat(
    phase.parts
      .filter((p) => p.kind === 'clear')
      .map((p) => phase.event.payload.subarray(p.offset, p.offset + p.length)),
  );
  if (clear.length === 0) return '(empty)';
  return phase.clearLooksLike === 'text' ? `"${escapePreview(clear, 72)}"` : `(binary) ${hexPreview(clear)}`;
}

export function describeRecordPart(part: RecordPart): string {
  const r = part.record;
  if (r.typeName === '?') return `${r.protocol} record header, ${part.length} B here (continues)`;
  const epoch = r.protocol === 'DTLS' ? ` epoch ${r.epoch} seq ${r.sequence}` : '';
  const split =
    part.continued || part.continues
      ? ` [${part.length} B here${part.continued ? ', continued' : ''}${part.continues ? ', continues' : ''}]`
      : '';
  const detail = part.continued
    ? r.messages.length
      ? `: rest of ${r.messages.join(', ')}`
      : ''
    : r.messages.length
      ? `: ${r.messages.join(', ')}`
      : r.alert
        ? `: ${r.alert}`
        : r.encrypted
          ? ': encrypted'
          : r.contentType === 22 && r.complete
            ? ': part of a handshake message'
            : '';
  return `${r.version} ${r.typeName}${epoch} ${r.length} B${split}${detail}`;
}

function renderPhase(phase: DataPhaseAnalysis): string[] {
  const { event } = phase;
  const secrets = phase.secrets.map((s) => `${secretMark(s.kind)} (${s.label})`);
  const lines = [
    `${head(event.t, event.dir)}▌ ${phaseHeadline(phase)}: ${phaseVerdict(phase)}${secrets.length ? `  ${secrets.join(' ')}` : ''}`,
  ];
  const records = phase.parts.filter((p): p is RecordPart => p.kind === 'record');
  for (const part of records.slice(0, MAX_PARTS_SHOWN)) lines.push(`${INDENT}${describeRecordPart(part)}`);
  if (records.length > MAX_PARTS_SHOWN)
    lines.push(`${INDENT}… ${records.length - MAX_PARTS_SHOWN} more records`);
  return lines;
}
