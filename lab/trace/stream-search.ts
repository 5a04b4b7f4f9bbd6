// Which of some byte strings occur in a stream fed piece by piece, without keeping the stream: each
// piece is searched together with the last (longest needle - 1) bytes before it, so a needle split
// across pieces is still found, and nothing older is needed.
export class StreamSearch {
  private readonly needles: Buffer[];
  private readonly found: boolean[];
  private readonly keep: number;
  private tail: Buffer = Buffer.alloc(0);
  private left: number;

  constructor(needles: ReadonlyArray<string | Uint8Array>) {
    this.needles = needles.map((n) => Buffer.from(n));
    // An empty needle is in every stream, as Buffer.includes says.
    this.found = this.needles.map((n) => n.length === 0);
    this.left = this.found.filter((f) => !f).length;
    this.keep = Math.max(0, ...this.needles.map((n) => n.length - 1));
  }

  feed(piece: Uint8Array): void {
    if (this.left === 0 || piece.length === 0) return;
    const window = this.tail.length ? Buffer.concat([this.tail, piece]) : Buffer.from(piece);
    this.needles.forEach((needle, i) => {
      if (!this.found[i] && window.includes(needle)) {
        this.found[i] = true;
        this.left--;
      }
    });
    // Copy the tail so it does not pin the (possibly large) window.
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
  }

  /** Whether the i-th needle has crossed so far. */
  has(i: number): boolean {
    return this.found[i];
  }

  /** Every needle found: nothing more to learn from the rest of the stream. */
  get done(): boolean {
    return this.left === 0;
  }
}
