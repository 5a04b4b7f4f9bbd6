// Many small writes gathered into few: a transcript is written line by line, and a write to stdout per
// line would cost a system call each.
const BATCH = 1 << 16;

export class BatchedOutput {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly sink: (text: string) => void) {}

  readonly write = (text: string): void => {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= BATCH) this.flush();
  };

  flush(): void {
    if (this.length === 0) return;
    this.sink(this.parts.join(''));
    this.parts = [];
    this.length = 0;
  }
}
