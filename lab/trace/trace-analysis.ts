// The analyser's entry: frames the AT conversation, follows each connection's byte streams through
// their data phases, classifies every phase (TLS records, plaintext, uploads), finds credentials,
// times the handshakes and sums it all up.
import type { Trace } from '../../shared/trace/trace-reader.ts';
import type { DataPhaseAnalysis, SecretSighting, TraceAnalysis, TraceSummary } from './analysis-types.ts';
import type { DataEvent } from './at-events.ts';
import { frameTrace } from './at-framer.ts';
import { type Connection, ConnectionTable } from './connections.ts';
import { dtlsParts } from './dtls-datagram.ts';
import { handshakeTimings } from './handshake-timing.ts';
import type { PayloadPart } from './payload-part.ts';
import { findPemBlocks, kindFromFileName } from './secret-scan.ts';
import { looksLikeText } from './text-preview.ts';
import { TlsRecordStream } from './tls-record-stream.ts';
import { summarize } from './trace-summary.ts';

export interface AnalyzeOptions {
  /** Shown in transcripts and reports; default `<scenario> (<mode>)` from the trace header. */
  label?: string;
  /** Where the trace came from, carried into the summary and reports. */
  file?: string;
}

export function analyzeTrace(trace: Trace, options: AnalyzeOptions = {}): TraceAnalysis {
  const { header } = trace;
  const label = options.label ?? `${header.scenario ?? 'trace'}${header.mode ? ` (${header.mode})` : ''}`;
  const framed = frameTrace(trace);
  const connections = new ConnectionTable();
  const streams = new Map<string, TlsRecordStream>();
  const phases: DataPhaseAnalysis[] = [];
  for (const event of framed.events) {
    if (event.kind === 'command') connections.onCommand(event);
    if (event.kind === 'data') phases.push(classifyPhase(event, connections.forData(event), streams));
  }
  const warnings = [...framed.warnings];
  if (trace.truncated)
    warnings.push('the trace ends in a line cut short (the run was killed mid-write); read up to it');
  for (const [key, stream] of streams)
    if (stream.lostFraming) warnings.push(`${key}: bytes that should have started a TLS record did not`);
  findSecrets(phases);
  const analysis: TraceAnalysis = {
    header,
    label,
    file: options.file,
    events: framed.events,
    phases,
    phaseOf: new Map(phases.map((p) => [p.event, p])),
    connections: connections.all,
    faults: [...(trace.faults ?? [])].sort((a, b) => a.t - b.t),
    warnings,
    summary: undefined as never,
  };
  analysis.summary = summarize(analysis, trace, framed.bytes, handshakeTimings(analysis));
  return analysis;
}

/** Just the figures (what `tlssim trace --json` prints). */
export function summarizeTrace(trace: Trace, options: AnalyzeOptions = {}): TraceSummary {
  return analyzeTrace(trace, options).summary;
}

function classifyPhase(
  event: DataEvent,
  connection: Connection | undefined,
  streams: Map<string, TlsRecordStream>,
): DataPhaseAnalysis {
  const { payload } = event;
  const whole: PayloadPart[] =
    payload.length > 0 ? [{ kind: 'clear', offset: 0, length: payload.length }] : [];
  let parts = whole;
  if (connection?.channel === 'qi' && connection.datagram) {
    parts = dtlsParts(payload, event.dir) ?? whole;
  } else if (connection?.channel === 'qi') {
    const key = `${connection.key} ${event.dir}`;
    const stream = streams.get(key) ?? new TlsRecordStream(event.dir);
    streams.set(key, stream);
    parts = stream.feed(payload);
  }
  const clear = Buffer.concat(
    parts.filter((p) => p.kind === 'clear').map((p) => payload.subarray(p.offset, p.offset + p.length)),
  );
  const records = parts.some((p) => p.kind === 'record');
  const category =
    event.via === 'QFUPL' ? 'upload' : records && clear.length > 0 ? 'mixed' : records ? 'tls' : 'plaintext';
  return {
    event,
    connection,
    category,
    parts,
    clearLooksLike: clear.length > 0 ? (looksLikeText(clear) ? 'text' : 'binary') : undefined,
    secrets: [],
  };
}

/**
 * PEM blocks in uploads and in clear socket bytes. Socket bytes are scanned per connection and
 * direction, so a key sent in two QSSLSEND pieces is still found (in the phase where it begins).
 */
function findSecrets(phases: DataPhaseAnalysis[]): void {
  const streams = new Map<string, Array<{ phase: DataPhaseAnalysis; clear: Buffer }>>();
  for (const phase of phases) {
    const { event } = phase;
    if (event.via === 'QFUPL') {
      const blocks = findPemBlocks(event.payload);
      for (const block of blocks) phase.secrets.push(sighting(phase, block.kind, block.label));
      const byName = blocks.length === 0 && event.file ? kindFromFileName(event.file) : undefined;
      if (byName) phase.secrets.push(sighting(phase, byName, 'file name'));
      continue;
    }
    const clear = Buffer.concat(
      phase.parts
        .filter((p) => p.kind === 'clear')
        .map((p) => event.payload.subarray(p.offset, p.offset + p.length)),
    );
    if (clear.length === 0) continue;
    const key = `${phase.connection?.key ?? '?'} ${event.dir}`;
    const list = streams.get(key) ?? [];
    list.push({ phase, clear });
    streams.set(key, list);
  }
  for (const list of streams.values()) {
    const all = Buffer.concat(list.map((item) => item.clear));
    for (const block of findPemBlocks(all)) {
      let start = 0;
      for (const item of list) {
        if (block.offset < start + item.clear.length) {
          item.phase.secrets.push(sighting(item.phase, block.kind, block.label));
          break;
        }
        start += item.clear.length;
      }
    }
  }
}

function sighting(phase: DataPhaseAnalysis, kind: SecretSighting['kind'], label: string): SecretSighting {
  const { event } = phase;
  return {
    kind,
    label,
    t: event.t,
    dir: event.dir,
    via: event.via,
    file: event.file,
    connection: phase.connection?.label,
  };
}
