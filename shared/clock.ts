// The one clock interface every timer in tlssim goes through (docs/architecture.md, "Time"): the
// modem's data-phase and connect bounds, the DTLS retransmission timer, the lab DTLS server and the
// fault proxy. Real time by default; a ManualClock (shared/manual-clock.ts) moves only when told.
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences mean anything). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Real time whose pending timers never keep a process alive (the modem's housekeeping). */
export const backgroundClock: Clock = {
  ...realClock,
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
