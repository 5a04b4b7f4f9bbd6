// The MCU's receive buffer for the AT channel, and the parser that cuts it into what the current
// reader wants: response lines, a data prompt, exactly N raw bytes (length-prefixed reads, where CR,
// LF and commas inside the payload must not be taken as framing), or a fixed byte sequence (the framing
// a length-prefixed payload must be followed by).
//
// A line is bounded: Mbed OS's ATHandler reads through a fixed buffer and, when it fills without a
// match, drops it (ATHandler::fill_buffer, "AT overflow"). Here a partial line longer than
// AT_MAX_LINE is dropped, and so is the rest of it up to the next line end, where parsing resumes. The
// search for a line end starts where the previous one stopped, so a long unended line costs each chunk
// only its own bytes, never a rescan of what is already buffered.
const CR = 0x0d;
const LF = 0x0a;
const PROMPT = 0x3e; // '>'
const SPACE = 0x20;

/** The longest response line kept (the longest the BG96 driver reads is a +QISTATE / +QSSLSTATE line). */
export const AT_MAX_LINE = 2048;

export type InputItem =
  | { kind: 'line'; text: string }
  | { kind: 'prompt' }
  | { kind: 'bytes'; data: Buffer }
  | { kind: 'framing'; matched: boolean };

export type Want =
  | { kind: 'line' }
  | { kind: 'prompt-or-line' }
  | { kind: 'bytes'; count: number }
  /** the next bytes must be exactly `expected`: consumed on a match, left in place on a mismatch */
  | { kind: 'framing'; expected: Buffer };

export class AtInput {
  private buffer = Buffer.alloc(0);
  /** bytes at the start of `buffer` already searched for a line end without finding one */
  private scanned = 0;
  /** an overlong line is being dropped up to its line end */
  private discarding = false;
  /** overlong lines whose dropping began since the last report */
  private overflows = 0;

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Overlong lines that began to be dropped since the last call (for the handler's log), then 0. */
  takeOverflows(): number {
    const count = this.overflows;
    this.overflows = 0;
    return count;
  }

  /** Drops everything buffered (after a timeout, so stale bytes cannot answer the next command). */
  clear(): void {
    this.consume(this.buffer.length);
    this.discarding = false;
  }

  /** Takes the next item of the wanted kind, or null when more bytes are needed. */
  take(want: Want): InputItem | null {
    if (want.kind === 'bytes') {
      if (this.buffer.length < want.count) return null;
      const data = Buffer.from(this.buffer.subarray(0, want.count));
      this.consume(want.count);
      return { kind: 'bytes', data };
    }
    if (want.kind === 'framing') return this.takeFraming(want.expected);
    if (this.discarding && !this.skipOverlong()) return null;
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === CR || this.buffer[start] === LF)) start++;
    if (want.kind === 'prompt-or-line' && this.buffer[start] === PROMPT) {
      // "> " has no line ending: the modem now waits for data.
      const end = this.buffer[start + 1] === SPACE ? start + 2 : start + 1;
      this.consume(end);
      return { kind: 'prompt' };
    }
    const lf = this.buffer.indexOf(LF, Math.max(start, this.scanned));
    if (lf < 0) {
      // Keep a partial line, but drop leading blank line endings already seen.
      this.consume(start);
      this.scanned = this.buffer.length;
      if (this.buffer.length > AT_MAX_LINE) {
        this.overflows++;
        this.consume(this.buffer.length);
        this.discarding = true;
      }
      return null;
    }
    let end = lf;
    while (end > start && this.buffer[end - 1] === CR) end--;
    const text = this.buffer.toString('latin1', start, end);
    this.consume(lf + 1);
    return { kind: 'line', text };
  }

  /** Drops the rest of an overlong line; true once its line end has been passed. */
  private skipOverlong(): boolean {
    const lf = this.buffer.indexOf(LF);
    this.consume(lf < 0 ? this.buffer.length : lf + 1);
    if (lf < 0) return false;
    this.discarding = false;
    return true;
  }

  private takeFraming(expected: Buffer): InputItem | null {
    const have = Math.min(expected.length, this.buffer.length);
    if (this.buffer.compare(expected, 0, have, 0, have) !== 0) return { kind: 'framing', matched: false };
    if (have < expected.length) return null;
    this.consume(expected.length);
    return { kind: 'framing', matched: true };
  }

  private consume(count: number): void {
    if (count === 0) return;
    this.buffer = this.buffer.subarray(count);
    this.scanned = Math.max(0, this.scanned - count);
  }
}
