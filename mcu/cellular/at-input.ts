// The MCU's receive buffer for the AT channel, and the parser that cuts it into what the current
// reader wants: response lines, a data prompt, or exactly N raw bytes (length-prefixed reads, where CR,
// LF and commas inside the payload must not be taken as framing).
const CR = 0x0d;
const LF = 0x0a;
const PROMPT = 0x3e; // '>'
const SPACE = 0x20;

export type InputItem = { kind: 'line'; text: string } | { kind: 'prompt' } | { kind: 'bytes'; data: Buffer };

export type Want = { kind: 'line' } | { kind: 'prompt-or-line' } | { kind: 'bytes'; count: number };

export class AtInput {
  private buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Drops everything buffered (after a timeout, so stale bytes cannot answer the next command). */
  clear(): void {
    this.buffer = Buffer.alloc(0);
  }

  /** Takes the next item of the wanted kind, or null when more bytes are needed. */
  take(want: Want): InputItem | null {
    if (want.kind === 'bytes') {
      if (this.buffer.length < want.count) return null;
      const data = this.buffer.subarray(0, want.count);
      this.buffer = this.buffer.subarray(want.count);
      return { kind: 'bytes', data: Buffer.from(data) };
    }
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === CR || this.buffer[start] === LF)) start++;
    if (want.kind === 'prompt-or-line' && this.buffer[start] === PROMPT) {
      // "> " has no line ending: the modem now waits for data.
      const end = this.buffer[start + 1] === SPACE ? start + 2 : start + 1;
      this.buffer = this.buffer.subarray(end);
      return { kind: 'prompt' };
    }
    const lf = this.buffer.indexOf(LF, start);
    if (lf < 0) {
      // Keep a partial line, but drop leading blank line endings already seen.
      this.buffer = this.buffer.subarray(start);
      return null;
    }
    let end = lf;
    while (end > start && this.buffer[end - 1] === CR) end--;
    const text = this.buffer.toString('latin1', start, end);
    this.buffer = this.buffer.subarray(lf + 1);
    return { kind: 'line', text };
  }
}
