// The figures of one analysed trace: where the bytes went, which credentials crossed, what was said.
// Tallied as the events go by, so a trace of any length is summed up in the same few counters.
import type { TraceFault, TraceHeader } from '../../shared/trace/trace-format.ts';
import type { DataPhaseAnalysis, DirectionCounts, HandshakeTiming, TraceSummary } from './analysis-types.ts';
import type { AtEvent } from './at-events.ts';

const counts = (tx = 0, rx = 0): DirectionCounts => ({ tx, rx, total: tx + rx });

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** What the summary needs of the trace as a whole, known once it has all been read. */
export interface TraceTotals {
  header: TraceHeader;
  label: string;
  file?: string;
  /** Bytes each way: payload plus AT framing. */
  bytes: { tx: number; rx: number };
  /** The earliest and latest chunk time, and how many chunks there were. */
  chunks: { count: number; first: number; last: number };
  handshakes: HandshakeTiming[];
  warnings: number;
}

export class SummaryTally {
  private readonly tls = { tx: 0, rx: 0 };
  private readonly handshake = { tx: 0, rx: 0 };
  private readonly plaintext = { tx: 0, rx: 0 };
  private uploadBytes = 0;
  private readonly recordsByType: Record<string, number> = {};
  private readonly handshakeMessages: Record<string, number> = {};
  private readonly dataPhasesByCommand: Record<string, number> = {};
  private readonly seen: TraceSummary['secrets']['seen'] = [];
  private readonly commandsByName: Record<string, number> = {};
  private readonly urcsByName: Record<string, number> = {};
  private failedCommands = 0;
  private readonly uartFaults: Record<string, number> = {};

  /** An event, with its phase analysis for a data phase (settled: its records and secrets are final). */
  addEvent(event: AtEvent, phase?: DataPhaseAnalysis): void {
    if (event.kind === 'command') {
      bump(this.commandsByName, event.command?.name ?? '(not AT)');
      if (event.result === 'error') this.failedCommands++;
    } else if (event.kind === 'line' && event.role === 'urc') {
      bump(this.urcsByName, event.urc ?? event.text);
    } else if (phase) {
      this.addPhase(phase);
    }
  }

  addFault(fault: TraceFault): void {
    bump(this.uartFaults, `${fault.dir} ${fault.fault}`);
  }

  private addPhase(phase: DataPhaseAnalysis): void {
    const { dir, via } = phase.event;
    bump(this.dataPhasesByCommand, via);
    for (const s of phase.secrets)
      this.seen.push({ kind: s.kind, label: s.label, via: s.via, file: s.file, t: s.t });
    if (via === 'QFUPL') {
      this.uploadBytes += phase.event.payload.length;
      return;
    }
    for (const part of phase.parts) {
      if (part.kind === 'clear') {
        this.plaintext[dir] += part.length;
        continue;
      }
      const { record } = part;
      this.tls[dir] += part.length;
      if (record.contentType === 22 || record.contentType === 20) this.handshake[dir] += part.length;
      if (part.continued) continue;
      bump(this.recordsByType, record.typeName);
      for (const message of record.messages)
        bump(this.handshakeMessages, message.replace(/ \(SNI .*\)| \[fragment .*\]/, ''));
    }
  }

  summary(totals: TraceTotals): TraceSummary {
    const { header, bytes, chunks } = totals;
    const { tls, plaintext, uploadBytes, seen } = this;
    const payload = {
      tx: tls.tx + plaintext.tx + uploadBytes,
      rx: tls.rx + plaintext.rx,
    };
    return {
      label: totals.label,
      file: totals.file,
      scenario: header.scenario,
      mode: header.mode,
      baud: header.baud,
      frame: header.frame,
      started: header.started,
      durationMs: chunks.count ? Math.round((chunks.last - chunks.first) * 1000) / 1000 : 0,
      bytes: counts(bytes.tx, bytes.rx),
      atOverheadBytes: counts(bytes.tx - payload.tx, bytes.rx - payload.rx),
      tlsBytes: counts(tls.tx, tls.rx),
      handshakeBytes: counts(this.handshake.tx, this.handshake.rx),
      plaintextBytes: counts(plaintext.tx, plaintext.rx),
      uploadBytes,
      secrets: {
        privateKeys: seen.filter((s) => s.kind === 'private-key').length,
        certificates: seen.filter((s) => s.kind === 'certificate').length,
        seen,
      },
      recordsByType: this.recordsByType,
      handshakeMessages: this.handshakeMessages,
      commandsByName: this.commandsByName,
      urcsByName: this.urcsByName,
      dataPhasesByCommand: this.dataPhasesByCommand,
      failedCommands: this.failedCommands,
      handshakes: totals.handshakes,
      warnings: totals.warnings,
      uartFaults: this.uartFaults,
    };
  }
}
