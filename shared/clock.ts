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

let deviceTarget: Clock = realClock;

/**
 * The device's one time base, as Mbed OS has one kernel clock (rtos/Kernel.h, `Kernel::Clock`): every
 * device-model timer of the MCU reads it. Real time unless the process runs on simulated time, when
 * the MCU process points it at its simulated clock before anything starts (docs/simulated-time.md).
 */
export const deviceClock: Clock = {
  now: () => deviceTarget.now(),
  setTimeout: (callback, ms) => deviceTarget.setTimeout(callback, ms),
  clearTimeout: (handle) => deviceTarget.clearTimeout(handle),
};

/** Points deviceClock at `clock` (once, at process start, before any timer is set). */
export function setDeviceClock(clock: Clock): void {
  deviceTarget = clock;
}
