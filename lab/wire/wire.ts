// The wire joins the MCU's and the modem's UART ends: it paces bytes at the configured baud rate and
// frame, and taps every byte into the trace at the moment it is delivered.
import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import type { TraceWriter } from '../../shared/trace/trace-writer.ts';
import { Pacer } from './pacer.ts';
import { bytesPerSecond, parseFrame } from './uart-frame.ts';
import type { WireEnd } from './wire-end.ts';

export interface WireOptions {
  baud: number;
  frame?: string;
  /** false = no pacing (fast CI); the trace is still written. */
  pacing?: boolean;
  trace?: TraceWriter;
}

export interface WireCounters {
  tx: number;
  rx: number;
}

export class Wire {
  readonly counters: WireCounters = { tx: 0, rx: 0 };
  private readonly pacers: Pacer[] = [];

  constructor(
    readonly mcu: WireEnd,
    readonly modem: WireEnd,
    options: WireOptions,
  ) {
    const frame = parseFrame(options.frame ?? '8N1');
    const rate = options.pacing === false ? Number.POSITIVE_INFINITY : bytesPerSecond(options.baud, frame);
    this.join(mcu, modem, 'tx', rate, options.trace);
    this.join(modem, mcu, 'rx', rate, options.trace);
  }

  private join(from: WireEnd, to: WireEnd, dir: TraceDirection, rate: number, trace?: TraceWriter): void {
    const pacer = new Pacer(rate, (bytes) => {
      this.counters[dir] += bytes.length;
      trace?.record(dir, bytes);
      to.deliver(bytes);
    });
    this.pacers.push(pacer);
    from.onBytes((bytes) => pacer.push(bytes));
  }

  close(): void {
    for (const pacer of this.pacers) pacer.stop();
    this.mcu.close();
    this.modem.close();
  }
}
