// Releases one direction's bytes no faster than the line rate, in order, in small slices so a reader
// sees a long write trickle in as from a real UART rather than arrive in one piece at the end. The line
// may also be held (a stall or break the wire's faults put on it) and carry marks, which fire when the
// line reaches them, so a fault is recorded when its byte goes out.
//
// Each byte's time on the line is fixed when it is queued (the line's position then), and a tick
// releases every byte the line has finished by the tick's time, across writes. So what a tick releases
// depends on the bytes and the times they were written, never on how the sender's writes were cut into
// chunks on the way: on simulated time (docs/simulated-time.md) the trace is the same from run to run.
import { type Clock, realClock } from '../../shared/clock.ts';

export type Release = (bytes: Uint8Array) => void;

type LineItem =
  | { kind: 'bytes'; bytes: Uint8Array; start: number; end: number; released: number }
  | { kind: 'pause'; end: number }
  | { kind: 'mark'; fire: () => void };

const SLICE_MS = 2;
/**
 * On simulated time every tick costs a round of messages with the processes, so a long burst goes in
 * coarser slices (115 bytes at 115200 baud, about a 128-byte UART FIFO's worth). A burst's last byte
 * still arrives exactly when the line finishes it: only where a long burst is cut changes.
 */
const SIMULATED_SLICE_MS = 10;
/** Node timers fire a millisecond or more late; this close to a burst's end the wall-clock line polls. */
const SPIN_MS = 1.5;

export class Pacer {
  private readonly queue: LineItem[] = [];
  /** when the line has sent everything queued */
  private lineEnd = Number.NEGATIVE_INFINITY;
  /** the current stretch of back-to-back bytes: when it started, and how many bytes it holds */
  private stretchStart = 0;
  private stretchBytes = 0;
  private timer: { at: number; cancel(): void } | null = null;
  /** the time the pending tick was planned from (the last tick, or the burst's first write) */
  private tickBase = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  /** bytesPerSecond = Infinity means no pacing: bytes take no line time (pauses still hold). */
  constructor(
    private readonly bytesPerSecond: number,
    private readonly release: Release,
    private readonly clock: Clock = realClock,
  ) {}

  push(bytes: Uint8Array): void {
    if (this.stopped || bytes.length === 0) return;
    // A byte's time is the stretch's start plus its position in it: one product, not a running sum,
    // so the same bytes get the same times to the last bit however they were chunked.
    if (this.lineEnd <= this.clock.now()) this.startStretch(this.clock.now());
    const start = this.stretchStart + (this.stretchBytes * 1000) / this.bytesPerSecond;
    this.stretchBytes += bytes.length;
    const end = this.stretchStart + (this.stretchBytes * 1000) / this.bytesPerSecond;
    this.lineEnd = end;
    this.enqueue({ kind: 'bytes', bytes, start, end, released: 0 });
  }

  /** Holds the line for `ms` after what is queued: nothing crosses meanwhile, nothing is lost. */
  pause(ms: number): void {
    if (this.stopped) return;
    this.lineEnd = this.lineFree() + ms;
    this.startStretch(this.lineEnd);
    this.enqueue({ kind: 'pause', end: this.lineEnd });
  }

  /** The line's bytes are timed from `at` on (an idle line's first write, the end of a pause). */
  private startStretch(at: number): void {
    this.stretchStart = at;
    this.stretchBytes = 0;
  }

  /** Calls `fire` when the line reaches this point (after what is queued went out). */
  mark(fire: () => void): void {
    if (this.stopped) return;
    this.enqueue({ kind: 'mark', fire });
  }

  /** Settles once everything queued has gone out (at once when the line is idle, or stopped). */
  idle(): Promise<void> {
    if (this.stopped || this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private lineFree(): number {
    return Math.max(this.clock.now(), this.lineEnd);
  }

  private enqueue(item: LineItem): void {
    const wasIdle = this.queue.length === 0;
    this.queue.push(item);
    if (wasIdle) this.tickBase = this.clock.now();
    this.plan();
  }

  /** Arms the next tick: a slice after the last one, or sooner where the line's current run ends. */
  private plan(): void {
    if (this.queue.length === 0) {
      this.timer?.cancel();
      this.timer = null;
      this.wakeIdle();
      return;
    }
    const boundary = this.runEnd();
    const slice = this.clock === realClock ? SLICE_MS : SIMULATED_SLICE_MS;
    const at = Math.min(this.tickBase + slice, boundary);
    if (this.timer?.at === at) return;
    this.timer?.cancel();
    this.timer = null;
    // On the wall clock, bytes already due (no pacing) pass straight through.
    if (this.clock === realClock && at <= performance.now()) {
      this.tick();
      return;
    }
    this.timer = this.arm(at, at === boundary);
  }

  /** The end of the line's leading stretch: the head pause, or the bytes queued back to back. */
  private runEnd(): number {
    let end = Number.NEGATIVE_INFINITY;
    for (const item of this.queue) {
      if (item.kind === 'mark') {
        if (end === Number.NEGATIVE_INFINITY) return this.clock.now();
        continue;
      }
      if (item.kind === 'pause') return end === Number.NEGATIVE_INFINITY ? item.end : end;
      if (end !== Number.NEGATIVE_INFINITY && item.start > end) return end;
      end = item.end;
    }
    return end;
  }

  private tick = (): void => {
    this.timer = null;
    const now = this.clock.now();
    let out: Uint8Array[] = [];
    const flush = () => {
      if (out.length === 0) return;
      const chunk = out.length === 1 ? (out[0] as Uint8Array) : Buffer.concat(out);
      out = [];
      this.release(chunk);
    };
    while (!this.stopped) {
      const head = this.queue[0];
      if (!head) break;
      if (head.kind === 'mark') {
        flush();
        this.queue.shift();
        head.fire();
        continue;
      }
      if (head.kind === 'pause') {
        if (head.end > now) break;
        this.queue.shift();
        continue;
      }
      const done = this.finishedBytes(head, now);
      if (done > head.released) out.push(head.bytes.subarray(head.released, done));
      head.released = done;
      if (done < head.bytes.length) break;
      this.queue.shift();
    }
    flush();
    if (this.stopped) return;
    this.tickBase = now;
    this.plan();
  };

  /** How many of the item's bytes the line has finished by `now`. */
  private finishedBytes(item: { bytes: Uint8Array; start: number; end: number }, now: number): number {
    if (now >= item.end) return item.bytes.length;
    if (now < item.start) return 0;
    const done = Math.floor(((now - item.start) * this.bytesPerSecond) / 1000 + 1e-6);
    return Math.min(item.bytes.length, Math.max(0, done));
  }

  private arm(at: number, endOfRun: boolean): { at: number; cancel(): void } {
    if (this.clock !== realClock) {
      const handle = this.clock.setTimeout(this.tick, Math.max(0, at - this.clock.now()));
      return { at, cancel: () => this.clock.clearTimeout(handle) };
    }
    // On the wall clock the end of a run (an AT command, a short response) is delivered on time, polled
    // over the final stretch; ticks inside a long burst take the plain timer and catch up on the next.
    let cancelled = false;
    let cancelCurrent: () => void = () => undefined;
    const wait = (first: boolean) => {
      if (cancelled) return;
      const remaining = at - performance.now();
      if (remaining <= 0 && !first) {
        this.tick();
        return;
      }
      if (remaining <= 0 || (endOfRun && remaining <= SPIN_MS)) {
        const immediate = setImmediate(() => wait(false));
        cancelCurrent = () => clearImmediate(immediate);
      } else {
        const timeout = setTimeout(() => wait(false), endOfRun ? remaining - SPIN_MS : remaining);
        cancelCurrent = () => clearTimeout(timeout);
      }
    };
    wait(true);
    return {
      at,
      cancel: () => {
        cancelled = true;
        cancelCurrent();
      },
    };
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.queue.length = 0;
    this.wakeIdle();
  }
}
