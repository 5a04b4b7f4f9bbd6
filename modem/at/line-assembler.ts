/**
 * Assembles command lines from UART bytes. `\r` ends a line (V.25ter S3); a lone `\n` also ends one,
 * and the `\n` of a `\r\n` pair is swallowed, so terminals and sloppy drivers both work. Empty lines
 * are ignored, as a real modem ignores them.
 */
const CR = 0x0d;
const LF = 0x0a;

export type LineEvent = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'overflow' };

export class LineAssembler {
  private bytes: number[] = [];
  private overflow = false;
  private previousWasCr = false;

  constructor(private readonly maxLength: number) {}

  /** True when the byte just before the next one was the `\r` ending a line. */
  get afterCr(): boolean {
    return this.previousWasCr;
  }

  /** Feeds one byte; returns a finished line (or an overflow) when this byte ends one. */
  push(byte: number): LineEvent | undefined {
    const afterCr = this.previousWasCr;
    this.previousWasCr = byte === CR;
    if (byte === LF && afterCr && this.bytes.length === 0 && !this.overflow) return undefined;
    if (byte === CR || byte === LF) return this.finish();
    if (this.bytes.length >= this.maxLength) this.overflow = true;
    else this.bytes.push(byte);
    return undefined;
  }

  /** Forgets a partial line (modem reset). */
  clear(): void {
    this.bytes = [];
    this.overflow = false;
    this.previousWasCr = false;
  }

  private finish(): LineEvent | undefined {
    const overflow = this.overflow;
    const text = Buffer.from(this.bytes).toString('latin1');
    this.bytes = [];
    this.overflow = false;
    if (overflow) return { kind: 'overflow' };
    if (text.trim() === '') return undefined;
    return { kind: 'line', text };
  }
}
