// Under simulated time, the MCU's application code sees the simulated clock through the globals it
// already uses: setTimeout/setInterval and performance.now() (a device has one time base, and an
// application's sleep or a library's keepalive timer — MQTT.js — must not wait on the host's), and the
// same functions in node:timers and node:timers/promises. Node's own internals keep their timers;
// setImmediate and process.nextTick are not time and stay as they are; Date.now() stays the host's
// calendar (certificates are checked against it).
import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
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
  const timerModule = timers as unknown as Record<string, unknown>;
  const promiseModule = timersPromises as unknown as Record<string, unknown>;
  const NAMES = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] as const;
  const saved = NAMES.map((name) => [name, globals[name], timerModule[name]] as const);
  const savedSleep = promiseModule.setTimeout;
  const savedNow = Object.getOwnPropertyDescriptor(performance, 'now');
  const simulatedSetTimeout = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
    start(callback, ms, args, false);
  // `await setTimeout(ms)` from node:timers/promises, and util.promisify(setTimeout), sleep on the clock too.
  const sleep = (ms?: number, value?: unknown, options?: { signal?: AbortSignal }) =>
    new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(signal.reason);
      const timeout = start(() => resolve(value), ms, [], false);
      signal?.addEventListener('abort', () => {
        clear(timeout);
        reject(signal.reason);
      });
    });
  Object.defineProperty(simulatedSetTimeout, promisify.custom, { value: sleep });
  const replacements: Record<(typeof NAMES)[number], unknown> = {
    setTimeout: simulatedSetTimeout,
    setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) => start(callback, ms, args, true),
    clearTimeout: clear,
    clearInterval: clear,
  };
  for (const name of NAMES) {
    globals[name] = replacements[name];
    timerModule[name] = replacements[name];
  }
  promiseModule.setTimeout = sleep;
  // ES module imports of node:timers see the change too.
  syncBuiltinESMExports();
  Object.defineProperty(performance, 'now', { value: () => clock.now(), configurable: true, writable: true });
  return () => {
    for (const [name, value, moduleValue] of saved) {
      globals[name] = value;
      timerModule[name] = moduleValue;
    }
    promiseModule.setTimeout = savedSleep;
    syncBuiltinESMExports();
    if (savedNow) Object.defineProperty(performance, 'now', savedNow);
    else delete (performance as unknown as Record<string, unknown>).now;
  };
}
