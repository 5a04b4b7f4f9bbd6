// The transport's sigio (and, for DTLS, the retransmission timer's expiry) as something to await: what a
// wrapper call waits for when no transport call is in flight and the transport said WOULD_BLOCK. Each
// signal settles the promise every current waiter holds; a waiter that names the count it saw before its
// Mbed TLS call cannot miss a signal that came during that call.
import type { Clock } from '../../shared/clock.ts';

/** A promise and its resolver (Node 20 has no Promise.withResolvers). */
function nextSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export class TransportSignal {
  /** Transport sigios so far: a transport call that answered WOULD_BLOCK is retried after a later one. */
  transport_events = 0;
  /** All signals so far (transport sigios and timer expiries). */
  count = 0;
  private next = nextSignal();

  constructor(private readonly clock: Clock) {}

  /** The transport's sigio: data may now be readable or writable. */
  from_transport(): void {
    this.transport_events++;
    this.fire();
  }

  /** The DTLS timer expired: Mbed TLS may now retransmit (or give up). */
  from_timer(): void {
    this.fire();
  }

  /**
   * True on the first signal after `seen` (at once if it already came), false when `timeoutMs` passes
   * first (negative: never; 0: at once). One wait; the socket timeout applies to each wait anew.
   */
  after(seen: number, timeoutMs: number): Promise<boolean> {
    if (this.count > seen) return Promise.resolve(true);
    if (timeoutMs === 0) return Promise.resolve(false);
    const signalled = this.next.promise.then(() => true);
    if (timeoutMs < 0) return signalled;
    let timer: unknown;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), timeoutMs);
    });
    return Promise.race([signalled, timedOut]).finally(() => this.clock.clearTimeout(timer));
  }

  private fire(): void {
    this.count++;
    const { resolve } = this.next;
    this.next = nextSignal();
    resolve();
  }
}
