// A scripted modem end for driver tests: records every command line and answers it with a rule,
// handling data phases (`> ` and CONNECT) by byte count, so the exact AT sequence can be asserted.
import type { SerialPortStream } from '@serialport/stream';

export type Answer = string | ((command: string) => string | null);

export class ScriptedModem {
  readonly commands: string[] = [];
  /** raw payloads written in data phases, in order */
  readonly payloads: Buffer[] = [];
  private pending = Buffer.alloc(0);
  private dataPhase: { bytes: number; after: string } | null = null;
  private readonly rules: Array<{ match: RegExp; answer: Answer }> = [];

  constructor(private readonly port: SerialPortStream) {
    port.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.drain();
    });
  }

  /** The newest matching rule answers (so a test can override a fixture's rule). Default answer: OK. */
  on(match: RegExp, answer: Answer): this {
    this.rules.unshift({ match, answer });
    return this;
  }

  /** A data phase: after `prompt`, take `bytes` raw bytes, then send `after`. */
  expectData(bytes: number, after: string): void {
    this.dataPhase = { bytes, after };
  }

  urc(text: string): void {
    this.port.write(`\r\n${text}\r\n`);
  }

  private drain(): void {
    for (;;) {
      if (this.dataPhase) {
        if (this.pending.length < this.dataPhase.bytes) return;
        this.payloads.push(this.pending.subarray(0, this.dataPhase.bytes));
        this.pending = this.pending.subarray(this.dataPhase.bytes);
        const after = this.dataPhase.after;
        this.dataPhase = null;
        this.port.write(after);
        continue;
      }
      const cr = this.pending.indexOf(13);
      if (cr < 0) return;
      const command = this.pending.subarray(0, cr).toString('latin1');
      this.pending = this.pending.subarray(cr + 1);
      this.commands.push(command);
      const rule = this.rules.find((r) => r.match.test(command));
      const answer = rule
        ? typeof rule.answer === 'string'
          ? rule.answer
          : rule.answer(command)
        : '\r\nOK\r\n';
      if (answer !== null) this.port.write(answer);
    }
  }
}
