// The figures of one analysed trace: where the bytes went, which credentials crossed, what was said.
import type { Trace } from '../../shared/trace/trace-reader.ts';
import type { DirectionCounts, HandshakeTiming, TraceAnalysis, TraceSummary } from './analysis-types.ts';

const counts = (tx = 0, rx = 0): DirectionCounts => ({ tx, rx, total: tx + rx });

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function summarize(
  analysis: Omit<TraceAnalysis, 'summary'>,
  trace: Trace,
  bytes: { tx: number; rx: number },
  handshakes: HandshakeTiming[],
): TraceSummary {
  const { header } = analysis;
  const tls = { tx: 0, rx: 0 };
  const handshake = { tx: 0, rx: 0 };
  const plaintext = { tx: 0, rx: 0 };
  let uploadBytes = 0;
  const recordsByType: Record<string, number> = {};
  const handshakeMessages: Record<string, number> = {};
  const dataPhasesByCommand: Record<string, number> = {};
  const seen: TraceSummary['secrets']['seen'] = [];
  for (const phase of analysis.phases) {
    const { dir, via } = phase.event;
    bump(dataPhasesByCommand, via);
    for (const s of phase.secrets)
      seen.push({ kind: s.kind, label: s.label, via: s.via, file: s.file, t: s.t });
    if (via === 'QFUPL') {
      uploadBytes += phase.event.payload.length;
      continue;
    }
    for (const part of phase.parts) {
      if (part.kind === 'clear') {
        plaintext[dir] += part.length;
        continue;
      }
      const { record } = part;
      tls[dir] += part.length;
      if (record.contentType === 22 || record.contentType === 20) handshake[dir] += part.length;
      if (part.continued) continue;
      bump(recordsByType, record.typeName);
      for (const message of record.messages)
        bump(handshakeMessages, message.replace(/ \(SNI .*\)| \[fragment .*\]/, ''));
    }
  }
  const commandsByName: Record<string, number> = {};
  const urcsByName: Record<string, number> = {};
  let failedCommands = 0;
  for (const event of analysis.events) {
    if (event.kind === 'command') {
      bump(commandsByName, event.command?.name ?? '(not AT)');
      if (event.result === 'error') failedCommands++;
    } else if (event.kind === 'line' && event.role === 'urc') {
      bump(urcsByName, event.urc ?? event.text);
    }
  }
  const payload = {
    tx: tls.tx + plaintext.tx + uploadBytes,
    rx: tls.rx + plaintext.rx,
  };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const chunk of trace.chunks) {
    first = Math.min(first, chunk.t);
    last = Math.max(last, chunk.t);
  }
  return {
    label: analysis.label,
    file: analysis.file,
    scenario: header.scenario,
    mode: header.mode,
    baud: header.baud,
    frame: header.frame,
    started: header.started,
    durationMs: trace.chunks.length ? Math.round((last - first) * 1000) / 1000 : 0,
    bytes: counts(bytes.tx, bytes.rx),
    atOverheadBytes: counts(bytes.tx - payload.tx, bytes.rx - payload.rx),
    tlsBytes: counts(tls.tx, tls.rx),
    handshakeBytes: counts(handshake.tx, handshake.rx),
    plaintextBytes: counts(plaintext.tx, plaintext.rx),
    uploadBytes,
    secrets: {
      privateKeys: seen.filter((s) => s.kind === 'private-key').length,
      certificates: seen.filter((s) => s.kind === 'certificate').length,
      seen,
    },
    recordsByType,
    handshakeMessages,
    commandsByName,
    urcsByName,
    dataPhasesByCommand,
    failedCommands,
    handshakes,
    warnings: analysis.warnings.length,
    uartFaults: faultTally(analysis),
  };
}

function faultTally(analysis: Omit<TraceAnalysis, 'summary'>): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const f of analysis.faults) tally[`${f.dir} ${f.fault}`] = (tally[`${f.dir} ${f.fault}`] ?? 0) + 1;
  return tally;
}
