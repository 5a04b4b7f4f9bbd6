// A small EventFlags (the RTOS primitive Mbed OS sockets block on): set bits wake waiters; a wait
// clears the bits it returns, and a negative timeout waits forever.
import { type Clock, deviceClock } from '../../shared/clock.ts';

export class EventFlags {
  private bits = 0;

  constructor(private readonly clock: Clock = deviceClock) {}

  private waiters: Array<{ mask: number; wake: (got: number) => void }> = [];

  /**
   * Every waiter whose mask matches wakes with the bits it asked for, and those bits are then cleared.
   * (An RTOS would wake one and leave the next waiting; the sockets retry on any wake, so waking all
   * cannot lose an event, while handing the bits to the first alone would make the others time out.)
   */
  set(mask: number): void {
    this.bits |= mask;
    const ready = this.waiters.filter((w) => this.bits & w.mask);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !(this.bits & w.mask));
    let taken = 0;
    for (const w of ready) {
      const got = this.bits & w.mask;
      taken |= got;
      w.wake(got);
    }
    this.bits &= ~taken;
  }

  clear(mask: number): void {
    this.bits &= ~mask;
  }

  /** Resolves with the bits that woke the wait, or 0 on timeout. */
  wait_any(mask: number, timeoutMs: number): Promise<number> {
    const got = this.bits & mask;
    if (got) {
      this.bits &= ~got;
      return Promise.resolve(got);
    }
    if (timeoutMs === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      let timer: unknown = null;
      const waiter = {
        mask,
        wake: (bits: number) => {
          if (timer !== null) this.clock.clearTimeout(timer);
          resolve(bits);
        },
      };
      this.waiters.push(waiter);
      if (timeoutMs > 0) {
        timer = this.clock.setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(0);
        }, timeoutMs);
      }
    });
  }
}
