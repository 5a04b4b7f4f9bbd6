import type { DataPhase } from './response.ts';

const CTRL_Z = 0x1a;
const ESC = 0x1b;

export type CollectorOutcome =
  | { readonly kind: 'complete'; readonly data: Buffer }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'overflowed' };

/**
 * Collects the raw bytes of one data phase: a fixed count (QISEND=<id>,<len>, QFUPL) or up to Ctrl-Z
 * (QISEND=<id>). Bytes are never interpreted as commands while a phase is open.
 */
export class DataCollector {
  private readonly chunks: Buffer[] = [];
  private count = 0;
  private overflow = false;

  constructor(
    private readonly phase: DataPhase,
    /** Called with `A` each time another `phase.ackEvery` bytes have arrived. */
    private readonly ack: () => void,
  ) {}

  get received(): number {
    return this.count;
  }

  /** Takes what belongs to the phase from `chunk`; the rest stays for the command parser. */
  feed(chunk: Buffer): { consumed: number; outcome?: CollectorOutcome } {
    if (this.phase.ctrlZ) return this.feedCtrlZ(chunk, this.phase.ctrlZ.max);
    const wanted = (this.phase.length ?? 0) - this.count;
    const take = chunk.subarray(0, Math.min(wanted, chunk.length));
    this.store(take);
    if (this.count < (this.phase.length ?? 0)) return { consumed: take.length };
    return { consumed: take.length, outcome: { kind: 'complete', data: Buffer.concat(this.chunks) } };
  }

  private feedCtrlZ(chunk: Buffer, max: number): { consumed: number; outcome?: CollectorOutcome } {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === ESC) return { consumed: i + 1, outcome: { kind: 'cancelled' } };
      if (byte === CTRL_Z) {
        const outcome: CollectorOutcome = this.overflow
          ? { kind: 'overflowed' }
          : { kind: 'complete', data: Buffer.concat(this.chunks) };
        return { consumed: i + 1, outcome };
      }
      // Past the limit the bytes are dropped until Ctrl-Z/ESC (or the idle timeout) ends the phase.
      if (this.count >= max) this.overflow = true;
      else this.store(chunk.subarray(i, i + 1));
    }
    return { consumed: chunk.length };
  }

  private store(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const every = this.phase.ackEvery;
    const before = this.count;
    this.chunks.push(Buffer.from(bytes));
    this.count += bytes.length;
    if (every && Math.floor(this.count / every) > Math.floor(before / every)) this.ack();
  }
}
