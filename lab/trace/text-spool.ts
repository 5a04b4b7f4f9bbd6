// Text written now and handed on later, in order: held in memory up to a limit, and beyond it in a
// temporary file, so text as long as a long trace's event list costs disk, not memory. `tlssim trace
// --json` spools the events because the summary, known only at the end, is printed before them.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const MEMORY_LIMIT = 1 << 18;
const READ_BLOCK = 1 << 20;
const SPILL_NAME = 'spool.txt';

export class TextSpool {
  private held: string[] = [];
  private heldLength = 0;
  private file?: { dir: string; fd: number };

  constructor(private readonly memoryLimit = MEMORY_LIMIT) {}

  write(text: string): void {
    this.held.push(text);
    this.heldLength += text.length;
    if (this.heldLength > this.memoryLimit) this.spill();
  }

  /** The temporary file holding the text past the memory limit, while there is one. */
  get spillFile(): string | undefined {
    return this.file && join(this.file.dir, SPILL_NAME);
  }

  /** Hands everything written, in order, to `out` (in pieces), and lets go of it. */
  drain(out: (text: string) => void): void {
    if (this.file) {
      this.spill();
      const { fd } = this.file;
      const block = Buffer.allocUnsafe(READ_BLOCK);
      const decoder = new StringDecoder('utf8');
      for (let position = 0; ; ) {
        const n = readSync(fd, block, 0, READ_BLOCK, position);
        if (n === 0) break;
        position += n;
        out(decoder.write(block.subarray(0, n)));
      }
      const rest = decoder.end();
      if (rest) out(rest);
    } else if (this.heldLength > 0) {
      out(this.held.join(''));
    }
    this.dispose();
  }

  /** Removes the temporary file, if there is one (also when the text is never drained). */
  dispose(): void {
    this.held = [];
    this.heldLength = 0;
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
  }

  private spill(): void {
    if (!this.file) {
      const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-spool-'));
      this.file = { dir, fd: openSync(join(dir, SPILL_NAME), 'w+') };
    }
    writeSync(this.file.fd, this.held.join(''));
    this.held = [];
    this.heldLength = 0;
  }
}
