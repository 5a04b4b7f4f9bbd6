// Releases one direction's bytes no faster than the line rate, in order, in small slices so a reader
// sees a long write trickle in as from a real UART rather than arrive in one piece at the end.
export type Release = (bytes: Uint8Array) => void;

const SLICE_MS = 2;
/** Node timers fire a millisecond or more late; this close to a burst's end we poll instead. */
const SPIN_MS = 1.5;

export class Pacer {
  private readonly queue: Uint8Array[] = [];
  private lineFreeAt = 0;
  private timer: { cancel(): void } | null = null;
  private readonly sliceBytes: number;

  /** bytesPerSecond = Infinity means no pacing: bytes pass straight through. */
  constructor(
    private readonly bytesPerSecond: number,
    private readonly release: Release,
  ) {
    this.sliceBytes = Math.max(1, Math.ceil((bytesPerSecond * SLICE_MS) / 1000));
  }

  push(bytes: Uint8Array): void {
    if (!Number.isFinite(this.bytesPerSecond)) {
      this.release(bytes);
      return;
    }
    this.queue.push(bytes);
    if (!this.timer) this.schedule(false);
  }

  /**
   * Books the head slice on the line. Within a burst the next slice starts where the last one ended,
   * even when our timer fired late, so lateness is caught up and the average rate stays the line rate.
   */
  private schedule(continuing: boolean): void {
    const head = this.queue[0];
    if (!head) {
      this.timer = null;
      return;
    }
    const slice = head.subarray(0, this.sliceBytes);
    const now = performance.now();
    const start = continuing ? this.lineFreeAt : Math.max(now, this.lineFreeAt);
    this.lineFreeAt = start + (slice.length * 1000) / this.bytesPerSecond;
    // The last slice of a burst (an AT command, a short response) is delivered on time, polled over the
    // final stretch; slices inside a long burst take the plain timer and catch up on the next one.
    const lastOfBurst = this.queue.length === 1 && slice.length === head.length;
    this.arm(this.lineFreeAt, lastOfBurst, () => {
      if (slice.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(slice.length);
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

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.queue.length = 0;
  }
}
