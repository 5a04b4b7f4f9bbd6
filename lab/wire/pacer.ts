// Releases one direction's bytes no faster than the line rate, in order, in small slices so a reader
// sees a long write trickle in as from a real UART rather than arrive in one piece at the end. The line
// may also be held (a stall or break the wire's faults put on it) and carry marks, which fire when the
// line reaches them, so a fault is recorded when its byte goes out.
export type Release = (bytes: Uint8Array) => void;

type LineItem =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'pause'; ms: number }
  | { kind: 'mark'; fire: () => void };

const SLICE_MS = 2;
/** Node timers fire a millisecond or more late; this close to a burst's end we poll instead. */
const SPIN_MS = 1.5;

export class Pacer {
  private readonly queue: LineItem[] = [];
  private lineFreeAt = 0;
  private timer: { cancel(): void } | null = null;
  private readonly sliceBytes: number;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  /** bytesPerSecond = Infinity means no pacing: bytes pass straight through (pauses still hold). */
  constructor(
    private readonly bytesPerSecond: number,
    private readonly release: Release,
  ) {
    this.sliceBytes = Math.max(1, Math.ceil((bytesPerSecond * SLICE_MS) / 1000));
  }

  push(bytes: Uint8Array): void {
    this.enqueue({ kind: 'bytes', bytes });
  }

  /** Holds the line for `ms` after what is queued: nothing crosses meanwhile, nothing is lost. */
  pause(ms: number): void {
    this.enqueue({ kind: 'pause', ms });
  }

  /** Calls `fire` when the line reaches this point (after what is queued went out). */
  mark(fire: () => void): void {
    this.enqueue({ kind: 'mark', fire });
  }

  /** Settles once everything queued has gone out (at once when the line is idle, or stopped). */
  idle(): Promise<void> {
    if (this.stopped || (!this.timer && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(item: LineItem): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (!this.timer) this.schedule(false);
  }

  /**
   * Plays the queue from its head. Within a burst the next slice starts where the last one ended, even
   * when our timer fired late, so lateness is caught up and the average rate stays the line rate.
   */
  private schedule(continuing: boolean): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) {
        this.timer = null;
        this.wakeIdle();
        return;
      }
      if (head.kind === 'mark') {
        this.queue.shift();
        head.fire();
        continue;
      }
      const now = performance.now();
      const start = continuing ? this.lineFreeAt : Math.max(now, this.lineFreeAt);
      if (head.kind === 'pause') {
        this.queue.shift();
        this.lineFreeAt = start + head.ms;
        this.arm(this.lineFreeAt, false, () => this.schedule(true));
        return;
      }
      if (!Number.isFinite(this.bytesPerSecond)) {
        // Unpaced, but still behind a pause that has not ended.
        if (start > now) {
          this.arm(start, false, () => this.schedule(false));
          return;
        }
        this.queue.shift();
        this.release(head.bytes);
        continue;
      }
      this.sendSlice(head, start);
      return;
    }
  }

  private sendSlice(head: { kind: 'bytes'; bytes: Uint8Array }, start: number): void {
    const slice = head.bytes.subarray(0, this.sliceBytes);
    this.lineFreeAt = start + (slice.length * 1000) / this.bytesPerSecond;
    // The last slice of a burst (an AT command, a short response) is delivered on time, polled over the
    // final stretch; slices inside a long burst take the plain timer and catch up on the next one.
    const lastOfBurst = this.queue.length === 1 && slice.length === head.bytes.length;
    this.arm(this.lineFreeAt, lastOfBurst, () => {
      if (slice.length === head.bytes.length) this.queue.shift();
      else head.bytes = head.bytes.subarray(slice.length);
      this.release(slice);
      this.schedule(true);
    });
  }

  private arm(due: number, poll: boolean, fire: () => void): void {
    const remaining = due - performance.now();
    if (remaining <= 0) {
      this.timer = null;
      fire();
    } else if (poll && remaining <= SPIN_MS) {
      const immediate = setImmediate(() => this.arm(due, poll, fire));
      this.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(() => this.arm(due, poll, fire), poll ? remaining - SPIN_MS : remaining);
      this.timer = { cancel: () => clearTimeout(timeout) };
    }
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
