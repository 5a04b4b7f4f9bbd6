// One direction of a trace as a single byte string, read front to back, that still knows when each
// byte crossed the UART (the time of the chunk that carried it).
import type { TraceChunk } from '../../shared/trace/trace-format.ts';

export class ByteCursor {
  readonly bytes: Buffer;
  /** Offset of each chunk's first byte, ascending; empty chunks are left out. */
  private readonly starts: number[] = [];
  private readonly times: number[] = [];
  pos = 0;

  constructor(chunks: readonly TraceChunk[]) {
    const parts: Buffer[] = [];
    let offset = 0;
    for (const chunk of chunks) {
      if (chunk.data.length === 0) continue;
      this.starts.push(offset);
      this.times.push(chunk.t);
      parts.push(Buffer.from(chunk.data));
      offset += chunk.data.length;
    }
    this.bytes = Buffer.concat(parts);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Time of the byte at `offset` (the last byte's time past the end; 0 for an empty stream). */
  timeAt(offset: number): number {
    const i = this.chunkIndex(Math.min(offset, this.bytes.length - 1));
    return i < 0 ? 0 : this.times[i];
  }

  /** Time of the next unread byte. */
  get nextTime(): number {
    return this.timeAt(this.pos);
  }

  /** Where the chunk holding the next unread byte ends: a data phase is read chunk by chunk. */
  get chunkEnd(): number {
    const i = this.chunkIndex(this.pos);
    return i + 1 < this.starts.length ? this.starts[i + 1] : this.bytes.length;
  }

  peek(ahead = 0): number | undefined {
    return this.bytes[this.pos + ahead];
  }

  /** Up to `n` bytes (fewer at the end of the stream). */
  take(n: number): Buffer {
    const end = Math.min(this.bytes.length, this.pos + Math.max(0, n));
    const out = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** Bytes up to (not including) the first one that `stop` accepts, or to the end. */
  takeUntil(stop: (byte: number) => boolean): Buffer {
    let end = this.pos;
    while (end < this.bytes.length && !stop(this.bytes[end])) end++;
    return this.take(end - this.pos);
  }

  private chunkIndex(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
