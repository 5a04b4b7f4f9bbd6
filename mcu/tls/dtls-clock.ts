// The one clock DTLS time goes through: the wrapper's retransmission timer, the lab DTLS server's timers
// and the datagram fault proxy's delays. Real time by default; a ManualClock (manual-clock.ts) replaces it
// where a test or a replay wants time to move only when told. Shaped like the modem's Clock (setTimeout /
// clearTimeout) plus now(), which the Mbed TLS timer contract needs.
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
