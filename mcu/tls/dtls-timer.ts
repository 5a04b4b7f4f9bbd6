// The Mbed TLS DTLS timer contract (mbedtls_ssl_set_timer_cb), as DTLSSocketWrapper implements it
// (connectivity/netsocket/source/DTLSSocketWrapper.cpp, timing_set_delay() and timing_get_delay()):
// set_delay arms an intermediate and a final deadline and schedules one expiry event at the final one;
// get_delay says how far along the timer is. The expiry event is what wakes a handshake that waits for a
// datagram that never comes, so Mbed TLS can retransmit.
import type { Clock } from '../../shared/clock.ts';

/** get_delay: no timer running. */
export const DTLS_TIMER_CANCELLED = -1;
/** get_delay: running, no deadline passed yet. */
export const DTLS_TIMER_RUNNING = 0;
/** get_delay: the intermediate deadline passed. */
export const DTLS_TIMER_INTERMEDIATE = 1;
/** get_delay: the final deadline passed (Mbed TLS retransmits, or gives up with TIMEOUT). */
export const DTLS_TIMER_EXPIRED = 2;

export class DtlsTimer {
  private event: unknown = null;
  private intermediateAt = 0;
  private finalAt = 0;
  private expired = false;
  /** Every (intermediate, final) pair Mbed TLS asked for, in order: for logs and tests. */
  readonly requests: Array<[number, number]> = [];

  constructor(
    private readonly clock: Clock,
    /** Called once when a final deadline passes (DTLSSocketWrapper::timer_event). */
    private readonly onExpired: () => void,
  ) {}

  /** timing_set_delay: cancel what runs; 0 as the final delay leaves the timer off. */
  readonly set_delay = (int_ms: number, fin_ms: number): void => {
    this.requests.push([int_ms, fin_ms]);
    this.cancel();
    if (fin_ms === 0) return;
    const now = this.clock.now();
    this.intermediateAt = now + int_ms;
    this.finalAt = now + fin_ms;
    this.event = this.clock.setTimeout(() => this.fire(), fin_ms);
  };

  /** timing_get_delay: -1 off, 2 final deadline passed, 1 intermediate passed, else 0. */
  readonly get_delay = (): number => {
    if (this.expired) return DTLS_TIMER_EXPIRED;
    if (this.event === null) return DTLS_TIMER_CANCELLED;
    const now = this.clock.now();
    // The clock may run ahead of its own timer queue (a busy event loop): a passed deadline counts.
    if (now >= this.finalAt) return DTLS_TIMER_EXPIRED;
    if (now >= this.intermediateAt) return DTLS_TIMER_INTERMEDIATE;
    return DTLS_TIMER_RUNNING;
  };

  /** Turns the timer off and forgets an expiry (close() does this). */
  cancel(): void {
    if (this.event !== null) this.clock.clearTimeout(this.event);
    this.event = null;
    this.expired = false;
  }

  /** True while an expiry event is scheduled. */
  get running(): boolean {
    return this.event !== null;
  }

  private fire(): void {
    this.event = null;
    this.expired = true;
    this.onExpired();
  }
}
