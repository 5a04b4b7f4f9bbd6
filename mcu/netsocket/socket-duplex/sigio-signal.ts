// A socket's sigio as something to await. Mbed OS sockets call sigio at most once per operation window
// (InternetSocket::event(): the callback runs when _pending goes to 1, and each connect/send/recv resets
// it), so a caller that got WOULD_BLOCK must not miss a sigio that came *during* that call: it takes the
// count before the call and waits for a later one (the same rule as mcu/tls/transport-signal.ts).

export class SigioSignal {
  /** sigios so far (and wake-ups the owner forces when it closes or is destroyed) */
  count = 0;
  private waiters: Array<() => void> = [];

  fire(): void {
    this.count++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the first signal after `seen`, at once if one already came. No timeout: sigio is the only wake. */
  after(seen: number): Promise<void> {
    if (this.count > seen) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
