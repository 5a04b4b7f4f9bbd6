// One direction of a trace as a byte string read front to back, that still knows when each byte crossed
// the UART (the time of the chunk that carried it). Only a window of it is held: chunks arrive from the
// trace as the reader needs them (a ChunkFeed) and go once read, keeping the chunk of the last byte
// read, whose time `timeAt(pos - 1)` still asks for. Offsets count from the direction's first byte.
import type { TraceDirection } from '../../shared/trace/trace-format.ts';

/** Reads the trace on until `dir` has another chunk; false when the trace has ended. */
export interface ChunkFeed {
  more(dir: TraceDirection): boolean;
}

interface WindowChunk {
  start: number;
  data: Uint8Array;
  t: number;
}

/** Chunks read before this many are dropped from the front of the window in one go. */
const COMPACT_AFTER = 1024;

export class ByteCursor {
  private chunks: WindowChunk[] = [];
  /** Index of the chunk holding `pos` (chunks.length when every byte held has been read). */
  private current = 0;
  /** Offset just past the last byte received so far. */
  private end = 0;
  /** The feed has nothing more for this direction. */
  private ended = false;
  pos = 0;

  constructor(
    readonly dir: TraceDirection,
    private readonly feed: ChunkFeed,
  ) {}

  /** A chunk of this direction, in trace order (the feed calls this); empty chunks carry no byte. */
  append(t: number, data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push({ start: this.end, data, t });
    this.end += data.length;
  }

  /** Bytes received so far; every byte of the direction once `done`. */
  get length(): number {
    return this.end;
  }

  get done(): boolean {
    this.fill(this.pos);
    return this.pos >= this.end;
  }

  /** Time of the byte at `offset` (the last byte's time past the end; 0 for an empty stream). */
  timeAt(offset: number): number {
    this.fill(offset);
    if (this.chunks.length === 0) return 0;
    return this.chunks[this.chunkIndex(Math.min(offset, this.end - 1))].t;
  }

  /** Time of the next unread byte. */
  get nextTime(): number {
    return this.timeAt(this.pos);
  }

  /** Where the chunk holding the next unread byte ends: a data phase is read chunk by chunk. */
  get chunkEnd(): number {
    if (this.done) return this.end;
    const chunk = this.chunks[this.current];
    return chunk.start + chunk.data.length;
  }

  peek(ahead = 0): number | undefined {
    const offset = this.pos + ahead;
    this.fill(offset);
    if (offset >= this.end) return undefined;
    const chunk = this.chunks[this.chunkIndex(offset)];
    return chunk.data[offset - chunk.start];
  }

  /** Up to `n` bytes (fewer at the end of the stream). */
  take(n: number): Buffer {
    const target = this.pos + Math.max(0, n);
    this.fill(target - 1);
    const stop = Math.min(this.end, target);
    const pieces: Uint8Array[] = [];
    while (this.pos < stop) {
      const chunk = this.chunks[this.current];
      const from = this.pos - chunk.start;
      const to = Math.min(chunk.data.length, stop - chunk.start);
      pieces.push(chunk.data.subarray(from, to));
      this.advance(to - from);
    }
    if (pieces.length === 1) return Buffer.from(pieces[0].buffer, pieces[0].byteOffset, pieces[0].length);
    return Buffer.concat(pieces);
  }

  /** Bytes up to (not including) the first one that `stop` accepts, or to the end. */
  takeUntil(stop: (byte: number) => boolean): Buffer {
    let at = this.pos;
    for (let i = this.chunkIndex(at); ; i++) {
      if (i >= this.chunks.length && !this.feedMore()) break;
      const { start, data } = this.chunks[i];
      let k = at - start;
      while (k < data.length && !stop(data[k])) k++;
      at = start + k;
      if (k < data.length) break;
    }
    return this.take(at - this.pos);
  }

  /** Offset of the first byte that `stop` accepts in what is left of the current chunk, else its end. */
  findInChunk(stop: (byte: number) => boolean): number {
    if (this.done) return this.end;
    const { start, data } = this.chunks[this.current];
    let k = this.pos - start;
    while (k < data.length && !stop(data[k])) k++;
    return start + k;
  }

  /** Makes sure the byte at `offset` is held, if the direction has one there. */
  private fill(offset: number): void {
    while (offset >= this.end && this.feedMore());
  }

  private feedMore(): boolean {
    if (this.ended) return false;
    const before = this.chunks.length;
    while (this.chunks.length === before) {
      if (!this.feed.more(this.dir)) {
        this.ended = true;
        return false;
      }
    }
    return true;
  }

  private advance(n: number): void {
    this.pos += n;
    const chunks = this.chunks;
    while (
      this.current < chunks.length &&
      chunks[this.current].start + chunks[this.current].data.length <= this.pos
    )
      this.current++;
    // Keep the chunk of the last byte read (its time is asked for); drop what lies before it.
    if (this.current > COMPACT_AFTER) {
      const drop = this.current - 1;
      this.chunks = chunks.slice(drop);
      this.current -= drop;
    }
  }

  /** Index of the held chunk containing `offset`: near the read position, so searched from there. */
  private chunkIndex(offset: number): number {
    const chunks = this.chunks;
    let i = Math.min(this.current, chunks.length - 1);
    while (i > 0 && chunks[i].start > offset) i--;
    while (i + 1 < chunks.length && chunks[i + 1].start <= offset) i++;
    return i;
  }
}
