// A clock that moves only when told: timers fire in deadline order (then in the order they were set) as
// advance() passes their deadlines. For deterministic tests of timer-driven code, and later for replays.
import type { Clock } from './clock.ts';

interface ManualTimer {
  at: number;
  order: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private time = 0;
  private order = 0;
  private timers = new Set<ManualTimer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: ManualTimer = { at: this.time + Math.max(0, ms), order: this.order++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as ManualTimer);
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer whose deadline is passed (including ones set meanwhile). */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** The earliest deadline still waiting (absolute, on this clock's scale), if any. */
  nextDeadline(): number | undefined {
    return this.earliest()?.at;
  }

  /**
   * Moves time forward to `time` (never back), firing what is due on the way, and lands on `time`
   * exactly (no sum of steps), so the same moves give the same times to the last bit.
   */
  advanceTo(time: number): void {
    const end = Math.max(time, this.time);
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > end) break;
      this.timers.delete(next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }

  /**
   * Sets the time to `time` without firing anything: the timers due then fire at the next advanceTo.
   * Only forward, and never past a timer (that timer would fire late): it throws instead.
   */
  jumpTo(time: number): void {
    const next = this.earliest();
    if (time < this.time || (next && next.at < time))
      throw new Error(`cannot jump from ${this.time} to ${time} (a timer is due at ${next?.at})`);
    this.time = time;
  }

  /** Jumps to the earliest deadline and fires what is due then; false if no timer waits. */
  advanceToNext(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.advanceTo(next.at);
    return true;
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers)
      if (!best || t.at < best.at || (t.at === best.at && t.order < best.order)) best = t;
    return best;
  }
}
