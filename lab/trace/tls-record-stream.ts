// Cuts one direction of one TCP connection into TLS records, across data phases: a record (or even
// its header) split over two QIRD reads is put back together, and each data phase learns which
// slices of which records it carried. A stream that does not start like TLS is clear text.
import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import { HandshakeInspector } from './handshake-inspector.ts';
import type { PayloadPart } from './payload-part.ts';
import { applyHeader, newRecord, plausibleTlsStart, type TlsRecord, tlsHeader } from './tls-record.ts';

interface OpenRecord {
  record: TlsRecord;
  header: Buffer;
  fragment: Buffer[];
  remaining: number;
}

export class TlsRecordStream {
  private state: 'unknown' | 'tls' | 'clear' = 'unknown';
  private open?: OpenRecord;
  private readonly inspector = new HandshakeInspector();
  /** Set when bytes that should have started a record did not look like one. */
  lostFraming = false;

  constructor(private readonly dir: TraceDirection) {}

  get isTls(): boolean {
    return this.state === 'tls';
  }

  /**
   * Whether what the stream says of `record` may still change with bytes to come: it is not complete,
   * or a handshake message that starts in it is not (its name is added to the record when it is).
   */
  mayChange(record: TlsRecord): boolean {
    return record === this.open?.record || this.inspector.holds(record);
  }

  /** The parts of one data phase's payload, in order. */
  feed(payload: Buffer): PayloadPart[] {
    const parts: PayloadPart[] = [];
    let at = 0;
    while (at < payload.length) {
      if (!this.open && !this.recordStartsAt(payload, at)) {
        parts.push({ kind: 'clear', offset: at, length: payload.length - at });
        break;
      }
      this.open ??= {
        record: newRecord('TLS', this.dir),
        header: Buffer.alloc(0),
        fragment: [],
        remaining: 0,
      };
      at = this.continueRecord(this.open, payload, at, parts);
    }
    const last = parts.at(-1);
    if (last?.kind === 'record' && !last.record.complete) last.continues = true;
    return parts;
  }

  /** Whether a new record begins here; decides (and can revise) whether the stream is TLS. */
  private recordStartsAt(payload: Buffer, at: number): boolean {
    const plausible = plausibleTlsStart(payload.subarray(at, at + 5));
    if (this.state === 'tls' && !plausible) {
      this.state = 'clear';
      this.lostFraming = true;
    } else if (this.state === 'unknown') {
      this.state = plausible ? 'tls' : 'clear';
    } else if (this.state === 'clear' && at === 0 && plausible && payload.length >= 5) {
      // A stream first seen mid-way (or after a clear preamble) may still carry TLS from a phase on.
      this.state = 'tls';
    }
    return this.state === 'tls';
  }

  private continueRecord(open: OpenRecord, payload: Buffer, at: number, parts: PayloadPart[]): number {
    const { record } = open;
    const start = at;
    const seenBefore = record.seen;
    if (open.header.length < 5) {
      const take = payload.subarray(at, at + 5 - open.header.length);
      open.header = Buffer.concat([open.header, take]);
      at += take.length;
      if (open.header.length === 5) {
        const header = tlsHeader(open.header);
        if (!header) {
          // The bytes of a header split across phases did not make one after all.
          this.open = undefined;
          this.state = 'clear';
          this.lostFraming = true;
          record.seen += at - start;
          parts.push({ kind: 'clear', offset: start, length: at - start });
          return at;
        }
        applyHeader(record, header);
        open.remaining = header.length;
      }
    }
    if (open.header.length === 5 && open.remaining > 0) {
      const take = payload.subarray(at, at + open.remaining);
      open.fragment.push(take);
      open.remaining -= take.length;
      at += take.length;
    }
    record.seen += at - start;
    parts.push({
      kind: 'record',
      record,
      offset: start,
      length: at - start,
      continued: seenBefore > 0,
      continues: false,
    });
    if (open.header.length === 5 && open.remaining === 0) {
      record.complete = true;
      this.open = undefined;
      this.inspector.inspect(record, Buffer.concat(open.fragment));
    }
    return at;
  }
}
