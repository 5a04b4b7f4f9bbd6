/**
 * The modem's one way to wait. Every timer (data-phase timeouts, connect and handshake bounds, delayed
 * URCs) goes through a Clock so a virtual clock can replace real time later.
 */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending modem timer must never keep a finished test or process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
