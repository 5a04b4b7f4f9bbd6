// Under simulated time, the MCU's application code sees the simulated clock through the globals it
// already uses: setTimeout/setInterval and performance.now() (a device has one time base, and an
// application's sleep or a library's keepalive timer — MQTT.js — must not wait on the host's). Node's
// own internals keep their timers; setImmediate and process.nextTick are not time and stay as they are.
import type { ManualClock } from '../manual-clock.ts';

type Callback = (...args: unknown[]) => void;

let nextId = 1;

/** Looks enough like Node's Timeout for libraries that ref, unref, refresh or print one. */
class SimulatedTimeout {
  readonly id = nextId++;
  private handle: unknown;

  constructor(
    private readonly clock: ManualClock,
    private readonly callback: Callback,
    private readonly ms: number,
    private readonly args: unknown[],
    private readonly repeat: boolean,
    private readonly onFinished: (timeout: SimulatedTimeout) => void,
  ) {
    this.handle = this.schedule();
  }

  private schedule(): unknown {
    return this.clock.setTimeout(() => {
      if (this.repeat) this.handle = this.schedule();
      else this.onFinished(this);
      this.callback(...this.args);
    }, this.ms);
  }

  cancel(): void {
    this.clock.clearTimeout(this.handle);
  }

  refresh(): this {
    this.cancel();
    this.handle = this.schedule();
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  hasRef(): boolean {
    return true;
  }

  close(): this {
    this.cancel();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/**
 * Replaces the timer globals and performance.now() with `clock`'s (for the rest of the MCU process);
 * returns what puts the originals back (for tests).
 */
export function installSimulatedGlobals(clock: ManualClock): () => void {
  const byId = new Map<number, SimulatedTimeout>();
  const wallClear = globalThis.clearTimeout;
  const start = (callback: unknown, ms: unknown, args: unknown[], repeat: boolean) => {
    if (typeof callback !== 'function')
      throw new TypeError('The "callback" argument must be of type function');
    const delay = Number(ms);
    const timeout = new SimulatedTimeout(
      clock,
      callback as Callback,
      // As Node: a delay under 1 ms or over 2^31 - 1 ms is 1 ms (a setTimeout(fn, 0) poll loop then
      // moves time forward instead of spinning at one instant).
      delay >= 1 && delay <= 2 ** 31 - 1 ? delay : 1,
      args,
      repeat,
      (done) => byId.delete(done.id),
    );
    byId.set(timeout.id, timeout);
    return timeout;
  };
  const clear = (handle: unknown) => {
    const timeout = handle instanceof SimulatedTimeout ? handle : byId.get(Number(handle));
    if (timeout) {
      timeout.cancel();
      byId.delete(timeout.id);
    } else if (handle !== undefined && handle !== null) {
      wallClear(handle as NodeJS.Timeout);
    }
  };
  const globals = globalThis as unknown as Record<string, unknown>;
  const saved = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'].map(
    (name) => [name, globals[name]] as const,
  );
  const savedNow = Object.getOwnPropertyDescriptor(performance, 'now');
  globals.setTimeout = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
    start(callback, ms, args, false);
  globals.setInterval = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
    start(callback, ms, args, true);
  globals.clearTimeout = clear;
  globals.clearInterval = clear;
  Object.defineProperty(performance, 'now', { value: () => clock.now(), configurable: true, writable: true });
  return () => {
    for (const [name, value] of saved) globals[name] = value;
    if (savedNow) Object.defineProperty(performance, 'now', savedNow);
    else delete (performance as unknown as Record<string, unknown>).now;
  };
}
