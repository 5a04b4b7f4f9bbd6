// Credentials in the data phases, found as the phases come: PEM blocks in an upload (or, when it holds
// none, what its file name says), and PEM blocks in each connection's clear bytes per direction, so a
// key sent in two QSSLSEND pieces is still found, in the phase where it begins. A phase whose last
// bytes may be the start of a BEGIN line is settled only once the stream has gone on far enough (or
// its connection was replaced, or the trace ended).
import type { DataPhaseAnalysis, SecretSighting } from './analysis-types.ts';
import type { Connection } from './connections.ts';
import { PemStream } from './pem-stream.ts';
import { clearBytes } from './phase-classifier.ts';
import { findPemBlocks, kindFromFileName } from './secret-scan.ts';

interface ScannedStream {
  pem: PemStream;
  /** Phases with bytes in the undecided part of the stream: [phase, stream offset where it ends]. */
  open: Array<{ phase: DataPhaseAnalysis; start: number; end: number }>;
  length: number;
}

const streamKey = (connection: Connection | undefined, dir: string) => `${connection?.key ?? '?'} ${dir}`;

export class PhaseSecrets {
  private readonly streams = new Map<string, ScannedStream>();
  private readonly unsettled = new Set<DataPhaseAnalysis>();

  add(phase: DataPhaseAnalysis): void {
    const { event } = phase;
    if (event.via === 'QFUPL') {
      const blocks = findPemBlocks(event.payload);
      for (const block of blocks) phase.secrets.push(sighting(phase, block.kind, block.label));
      const byName = blocks.length === 0 && event.file ? kindFromFileName(event.file) : undefined;
      if (byName) phase.secrets.push(sighting(phase, byName, 'file name'));
      return;
    }
    const clear = clearBytes(phase);
    if (clear.length === 0) return;
    const key = streamKey(phase.connection, event.dir);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { pem: new PemStream(), open: [], length: 0 };
      this.streams.set(key, stream);
    }
    stream.open.push({ phase, start: stream.length, end: stream.length + clear.length });
    stream.length += clear.length;
    this.unsettled.add(phase);
    for (const block of stream.pem.feed(clear)) {
      const owner = stream.open.find((o) => block.offset < o.end);
      owner?.phase.secrets.push(sighting(owner.phase, block.kind, block.label));
    }
    const decided = stream.pem.decidedTo;
    while (stream.open.length > 0 && stream.open[0].end <= decided) {
      this.unsettled.delete(stream.open[0].phase);
      stream.open.shift();
    }
  }

  /** No bytes still to come can add a credential to the phase. */
  settled(phase: DataPhaseAnalysis): boolean {
    return !this.unsettled.has(phase);
  }

  /** The connection gets no more bytes: its phases are settled. */
  retire(connection: Connection): void {
    for (const dir of ['tx', 'rx']) this.settle(streamKey(connection, dir));
  }

  /** The trace has ended. */
  retireAll(): void {
    for (const key of [...this.streams.keys()]) this.settle(key);
  }

  private settle(key: string): void {
    const stream = this.streams.get(key);
    if (!stream) return;
    for (const { phase } of stream.open) this.unsettled.delete(phase);
    this.streams.delete(key);
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
