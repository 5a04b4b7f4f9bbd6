// A trace read once, front to back, for the analyser: chunks go to the byte cursor of their direction
// as a cursor asks for more, fault marks wait until their time comes in the transcript. Only what the
// cursors have not read yet is held, so the trace's size does not matter; what is held is what lies
// between the two directions' read positions (they advance together, in time order).
import type { TraceFault, TraceHeader } from '../../shared/trace/trace-format.ts';
import { isChunk, type Trace, type TraceRecord } from '../../shared/trace/trace-reader.ts';
import { ByteCursor, type ChunkFeed } from './byte-cursor.ts';

/** A TraceStream (read from a file as it goes), or a trace already in memory (recordsOf). */
export interface TraceRecords extends Iterable<TraceRecord> {
  readonly header: TraceHeader;
  /** Known once the records have all been read: the last line was cut short. */
  readonly truncated: boolean;
}

export class TraceFeed implements ChunkFeed {
  readonly tx = new ByteCursor('tx', this);
  readonly rx = new ByteCursor('rx', this);
  /** Every chunk's time, empty chunks too: the trace's duration. */
  firstChunkT = Number.POSITIVE_INFINITY;
  lastChunkT = Number.NEGATIVE_INFINITY;
  chunkCount = 0;
  private readonly records: Iterator<TraceRecord>;
  /** Fault marks read but not yet taken, in time order. */
  private faults: TraceFault[] = [];
  /** Time of the latest record read. */
  private latest = Number.NEGATIVE_INFINITY;
  private ended = false;

  constructor(readonly source: TraceRecords) {
    this.records = source[Symbol.iterator]();
  }

  get header(): TraceHeader {
    return this.source.header;
  }

  /** Reads one more record; false once the trace has ended. */
  more(): boolean {
    if (this.ended) return false;
    const next = this.records.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const record = next.value;
    this.latest = Math.max(this.latest, record.t);
    if (isChunk(record)) {
      this.chunkCount++;
      this.firstChunkT = Math.min(this.firstChunkT, record.t);
      this.lastChunkT = Math.max(this.lastChunkT, record.t);
      (record.dir === 'tx' ? this.tx : this.rx).append(record.t, record.data);
    } else {
      // Stable by time, as the transcript has always ordered them.
      let at = this.faults.length;
      while (at > 0 && this.faults[at - 1].t > record.t) at--;
      this.faults.splice(at, 0, record);
    }
    return true;
  }

  /**
   * The fault marks at or before `t`, taken off the queue. The trace is read on past `t` first: the
   * writer's times never go back, so every mark at or before `t` has then been read.
   */
  faultsUpTo(t: number): TraceFault[] {
    while (this.latest <= t && this.more());
    let n = 0;
    while (n < this.faults.length && this.faults[n].t <= t) n++;
    return n === 0 ? [] : this.faults.splice(0, n);
  }

  /** Every fault mark not yet taken (at the end of the trace). */
  remainingFaults(): TraceFault[] {
    while (this.more());
    return this.faults.splice(0);
  }

  get truncated(): boolean {
    return this.source.truncated;
  }
}

/** A trace already in memory, as records in time order (chunks and fault marks merged by time). */
export function recordsOf(trace: Trace): TraceRecords {
  return {
    header: trace.header,
    truncated: trace.truncated === true,
    *[Symbol.iterator]() {
      const faults = [...(trace.faults ?? [])].sort((a, b) => a.t - b.t);
      let f = 0;
      for (const chunk of trace.chunks) {
        while (f < faults.length && faults[f].t < chunk.t) yield faults[f++];
        yield chunk;
      }
      while (f < faults.length) yield faults[f++];
    },
  };
}
