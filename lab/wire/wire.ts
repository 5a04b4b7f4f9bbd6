// The wire joins the MCU's and the modem's UART ends: it paces bytes at the configured baud rate and
// frame, applies the run's UART faults (lab/faults/uart-fault-spec.ts) and taps every byte into the trace
// at the moment it is delivered, with a mark for each fault. When one end goes away (its process died,
// its port closed) the wire hangs up on the other, as unplugging the modem drops the MCU's line: what the
// gone end had already sent is delivered first.
import type { Clock } from '../../shared/clock.ts';
import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import type { TraceWriter } from '../../shared/trace/trace-writer.ts';
import { emptyUartFaultStats, UartFaultLine, type UartFaultStats } from '../faults/uart-fault-line.ts';
import { resolveUartFaults, type UartFaultSpec } from '../faults/uart-fault-spec.ts';
import { Pacer } from './pacer.ts';
import { bytesPerSecond, parseFrame } from './uart-frame.ts';
import type { WireEnd } from './wire-end.ts';

export interface WireOptions {
  baud: number;
  frame?: string;
  /** false = no pacing (fast CI); the trace is still written. */
  pacing?: boolean;
  trace?: TraceWriter;
  /** UART faults per direction (checked by parseUartFaultSpec); none by default */
  faults?: UartFaultSpec;
  /** Called once when an end went away and the wire hung up on the other. */
  onHangUp?: (gone: 'mcu' | 'modem') => void;
  /** the clock the line is paced on: the run's simulated clock, or real time (the default) */
  clock?: Clock;
  /** hears every chunk read from either end (simulated time looks again: lab/sim/time-coordinator.ts) */
  onRead?: () => void;
  /** (tcp wire) both processes have dialled in */
  onJoined?: () => void;
}

export interface WireCounters {
  tx: number;
  rx: number;
}

export type WireFaultStats = Record<TraceDirection, UartFaultStats>;

export class Wire {
  /** bytes delivered each way (after faults): tx to the modem, rx to the MCU */
  readonly counters: WireCounters = { tx: 0, rx: 0 };
  /** bytes read from each end (before faults): tx from the MCU, rx from the modem */
  readonly read: WireCounters = { tx: 0, rx: 0 };
  private readonly pacers: Pacer[] = [];
  private readonly lines: Partial<Record<TraceDirection, UartFaultLine>> = {};
  private closed = false;

  constructor(
    readonly mcu: WireEnd,
    readonly modem: WireEnd,
    private readonly options: WireOptions,
  ) {
    const frame = parseFrame(options.frame ?? '8N1');
    const nominal = bytesPerSecond(options.baud, frame);
    const rate = options.pacing === false ? Number.POSITIVE_INFINITY : nominal;
    const seed = options.faults?.seed ?? 1;
    for (const dir of ['tx', 'rx'] as const) {
      const set = options.faults?.[dir];
      if (set) this.lines[dir] = new UartFaultLine(resolveUartFaults(set), seed, dir, nominal);
    }
    const tx = this.join(mcu, modem, 'tx', rate);
    const rx = this.join(modem, mcu, 'rx', rate);
    mcu.onClose(() => void this.hangUp('mcu', tx));
    modem.onClose(() => void this.hangUp('modem', rx));
  }

  /** What the faults did each way so far (zeros for a direction without faults). */
  get faultStats(): WireFaultStats {
    return {
      tx: { ...(this.lines.tx?.stats ?? emptyUartFaultStats()) },
      rx: { ...(this.lines.rx?.stats ?? emptyUartFaultStats()) },
    };
  }

  private join(from: WireEnd, to: WireEnd, dir: TraceDirection, rate: number): Pacer {
    const trace = this.options.trace;
    const pacer = new Pacer(
      rate,
      (bytes) => {
        this.counters[dir] += bytes.length;
        trace?.record(dir, bytes);
        to.deliver(bytes);
      },
      this.options.clock,
    );
    this.pacers.push(pacer);
    const line = this.lines[dir];
    from.onBytes((bytes) => {
      this.read[dir] += bytes.length;
      this.options.onRead?.();
      if (!line) {
        pacer.push(bytes);
        return;
      }
      for (const item of line.apply(bytes)) {
        if (item.kind === 'bytes') pacer.push(item.bytes);
        else if (item.kind === 'pause') pacer.pause(item.ms);
        else {
          const { fault, offset, detail } = item.mark;
          pacer.mark(() => trace?.recordFault(dir, fault, offset, detail));
        }
      }
    });
    return pacer;
  }

  /** The gone end's last bytes go out, then the other end is hung up on. */
  private async hangUp(gone: 'mcu' | 'modem', fromGone: Pacer): Promise<void> {
    if (this.closed) return;
    await fromGone.idle();
    if (this.closed) return;
    this.close();
    this.options.onHangUp?.(gone);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pacer of this.pacers) pacer.stop();
    this.mcu.close();
    this.modem.close();
  }
}
