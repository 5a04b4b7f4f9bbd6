// One direction of the UART, with faults: turns the bytes a UART end transmits into what goes on the
// line — bytes (some corrupted, lost or inserted), pauses (stalls, breaks) and a mark for each fault —
// in order, for the wire's pacer to play out. Each fault kind draws from its own seeded stream, so the
// bit errors fall on the same bit positions of a direction's byte stream whatever the other faults do.

import { SeededRandom } from '../../shared/seeded-random.ts';
import type { UartFaultKind } from '../../shared/trace/trace-format.ts';
import type { ResolvedUartFaults } from './uart-fault-spec.ts';

export interface UartFaultStats {
  /** data bits inverted */
  bitErrors: number;
  /** bytes delivered with at least one inverted bit (exact: a byte hit twice counts once) */
  bytesCorrupted: number;
  /** bytes lost by drop */
  bytesDropped: number;
  /** noise bytes inserted */
  bytesInserted: number;
  stalls: number;
  stallMs: number;
  breaks: number;
  /** the sender's bytes lost under a break (its 0x00 is not counted here) */
  bytesLostToBreaks: number;
}

export function emptyUartFaultStats(): UartFaultStats {
  return {
    bitErrors: 0,
    bytesCorrupted: 0,
    bytesDropped: 0,
    bytesInserted: 0,
    stalls: 0,
    stallMs: 0,
    breaks: 0,
    bytesLostToBreaks: 0,
  };
}

export interface UartFaultMark {
  fault: UartFaultKind;
  /** in the direction's delivered byte stream (shared/trace/trace-format.ts, TraceFault) */
  offset: number;
  detail: Record<string, number>;
}

export type UartLineItem =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'pause'; ms: number }
  | { kind: 'mark'; mark: UartFaultMark };

const DATA_BITS = 8;

export class UartFaultLine {
  readonly stats = emptyUartFaultStats();
  private readonly streams: Record<'bit' | 'drop' | 'noise' | 'stall' | 'break', SeededRandom>;
  /** data bits still to pass before the next inverted one */
  private bitsToNextError: number;
  /** bytes still to be lost to the break in progress */
  private breakLoss = 0;
  /** bytes delivered so far: the offset of the next one */
  private delivered = 0;

  /**
   * `bytesPerSecond` is the nominal line rate (even when the wire does not pace), which says how many
   * of the sender's bytes a break of breakMs swallows.
   */
  constructor(
    private readonly faults: ResolvedUartFaults,
    seed: number,
    label: string,
    private readonly bytesPerSecond: number,
  ) {
    const stream = (kind: string) => SeededRandom.derive(seed, `${label}:${kind}`);
    this.streams = {
      bit: stream('bit'),
      drop: stream('drop'),
      noise: stream('noise'),
      stall: stream('stall'),
      break: stream('break'),
    };
    this.bitsToNextError = this.bitGap();
  }

  /** What goes on the line for these transmitted bytes. */
  apply(input: Uint8Array): UartLineItem[] {
    const items: UartLineItem[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length) items.push({ kind: 'bytes', bytes: Uint8Array.from(run) });
      run = [];
    };
    const mark = (fault: UartFaultKind, detail: Record<string, number>) => {
      flush();
      items.push({ kind: 'mark', mark: { fault, offset: this.delivered, detail } });
    };
    const out = (byte: number) => {
      run.push(byte);
      this.delivered++;
    };
    const f = this.faults;
    for (const sent of input) {
      if (this.breakLoss > 0) {
        this.breakLoss--;
        this.stats.bytesLostToBreaks++;
        continue;
      }
      if (this.draw('stall', f.stall)) {
        this.stats.stalls++;
        this.stats.stallMs += f.stallMs;
        mark('stall', { ms: f.stallMs });
        items.push({ kind: 'pause', ms: f.stallMs });
      }
      if (this.draw('break', f.break)) {
        // The byte it began on and those clocked out while the line was held are lost (see the spec).
        const lost = Math.max(1, Math.round((f.breakMs * this.bytesPerSecond) / 1000));
        this.stats.breaks++;
        this.stats.bytesLostToBreaks++;
        this.breakLoss = lost - 1;
        mark('break', { ms: f.breakMs, lost });
        out(0x00);
        flush();
        items.push({ kind: 'pause', ms: f.breakMs });
        continue;
      }
      if (this.draw('drop', f.drop)) {
        this.stats.bytesDropped++;
        mark('drop', { sent });
        continue;
      }
      if (this.draw('noise', f.noise)) {
        const byte = this.streams.noise.int(256);
        this.stats.bytesInserted++;
        mark('noise', { byte });
        out(byte);
      }
      const mask = this.errorMask();
      if (mask !== 0) {
        this.stats.bytesCorrupted++;
        mark('bit-flip', { sent, mask });
      }
      out(sent ^ mask);
    }
    flush();
    return items;
  }

  /** The bits of this byte that an error inverts (usually none), advancing the bit error process. */
  private errorMask(): number {
    let mask = 0;
    while (this.bitsToNextError < DATA_BITS) {
      mask |= 1 << this.bitsToNextError;
      this.stats.bitErrors++;
      this.bitsToNextError += 1 + this.bitGap();
    }
    this.bitsToNextError -= DATA_BITS;
    return mask;
  }

  /**
   * Correct bits before the next error: geometric with the bit error rate, so each bit is hit
   * independently with that probability without a draw per bit.
   */
  private bitGap(): number {
    const p = this.faults.bitErrorRate;
    if (p <= 0) return Number.POSITIVE_INFINITY;
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.streams.bit.next()) / Math.log(1 - p));
  }

  private draw(kind: 'drop' | 'noise' | 'stall' | 'break', rate: number): boolean {
    return rate > 0 && this.streams[kind].next() < rate;
  }
}
