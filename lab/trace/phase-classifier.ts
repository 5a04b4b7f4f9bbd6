// Classifies each data phase as it comes, in time order: TLS records (a record stream per connection
// and direction, across phases), DTLS datagrams, plaintext or an upload. A record cut across phases is
// described only once its last byte has crossed, so a phase is `settled` once nothing that may still
// come can change what its records say; a connection that is replaced gets no more bytes, so its
// streams are let go, keeping only the note that one lost its framing.
import type { DataPhaseAnalysis } from './analysis-types.ts';
import type { DataEvent } from './at-events.ts';
import type { Connection } from './connections.ts';
import { dtlsParts } from './dtls-datagram.ts';
import type { PayloadPart } from './payload-part.ts';
import { looksLikeText } from './text-preview.ts';
import { TlsRecordStream } from './tls-record-stream.ts';

interface FollowedStream {
  stream: TlsRecordStream;
  /** The how-manieth stream followed: warnings are listed in this order. */
  index: number;
}

/** The bytes of a phase that crossed in clear (not inside TLS or DTLS records). */
export function clearBytes(phase: Pick<DataPhaseAnalysis, 'event' | 'parts'>): Buffer {
  const { payload } = phase.event;
  const clear = phase.parts.filter((p) => p.kind === 'clear');
  if (clear.length === 1 && clear[0].offset === 0 && clear[0].length === payload.length) return payload;
  return Buffer.concat(clear.map((p) => payload.subarray(p.offset, p.offset + p.length)));
}

const streamKey = (connection: Connection, dir: string) => `${connection.key} ${dir}`;

export class PhaseClassifier {
  private readonly streams = new Map<string, FollowedStream>();
  private followed = 0;
  /** Streams let go that had lost their framing: [index, key]. */
  private readonly lostWhenRetired: Array<[number, string]> = [];

  classify(event: DataEvent, connection: Connection | undefined): DataPhaseAnalysis {
    const { payload } = event;
    const whole: PayloadPart[] =
      payload.length > 0 ? [{ kind: 'clear', offset: 0, length: payload.length }] : [];
    let parts = whole;
    if (connection?.channel === 'qi' && connection.datagram) {
      parts = dtlsParts(payload, event.dir) ?? whole;
    } else if (connection?.channel === 'qi') {
      const key = streamKey(connection, event.dir);
      let followed = this.streams.get(key);
      if (!followed) {
        followed = { stream: new TlsRecordStream(event.dir), index: this.followed++ };
        this.streams.set(key, followed);
      }
      parts = followed.stream.feed(payload);
    }
    const clear = clearBytes({ event, parts });
    const records = parts.some((p) => p.kind === 'record');
    const category =
      event.via === 'QFUPL'
        ? 'upload'
        : records && clear.length > 0
          ? 'mixed'
          : records
            ? 'tls'
            : 'plaintext';
    return {
      event,
      connection,
      category,
      parts,
      clearLooksLike: clear.length > 0 ? (looksLikeText(clear) ? 'text' : 'binary') : undefined,
      secrets: [],
    };
  }

  /** Nothing still to come can change what the phase's records say. */
  settled(phase: DataPhaseAnalysis): boolean {
    if (!phase.connection) return true;
    const followed = this.streams.get(streamKey(phase.connection, phase.event.dir));
    if (!followed) return true;
    return phase.parts.every((p) => p.kind !== 'record' || !followed.stream.mayChange(p.record));
  }

  /** The connection gets no more bytes: what its streams said is final. */
  retire(connection: Connection): void {
    for (const dir of ['tx', 'rx']) {
      const key = streamKey(connection, dir);
      const followed = this.streams.get(key);
      if (!followed) continue;
      if (followed.stream.lostFraming) this.lostWhenRetired.push([followed.index, key]);
      this.streams.delete(key);
    }
  }

  /** One warning per stream whose bytes stopped looking like TLS records, in the order followed. */
  lostFramingWarnings(): string[] {
    const lost = [...this.lostWhenRetired];
    for (const [key, followed] of this.streams)
      if (followed.stream.lostFraming) lost.push([followed.index, key]);
    return lost
      .sort((a, b) => a[0] - b[0])
      .map(([, key]) => `${key}: bytes that should have started a TLS record did not`);
  }
}
