// Carries a connection's bytes over the simulated cellular link (modem/link/link-profile.ts): each chunk
// waits for the link to be free, takes its serialisation time at the direction's bandwidth, then its
// one-way delay (± jitter). A stream (TCP) keeps its order; datagrams may be reordered by jitter, and
// are lost with the profile's probability. Every wait goes through the modem's clock; every draw through
// a seeded generator, so a run replays.
import type { Clock } from '../../shared/clock.ts';
import { SeededRandom } from '../../shared/seeded-random.ts';
import type { LinkProfile } from './link-profile.ts';

interface Pending {
  at: number;
  deliver: () => void;
  bytes: number;
}

/** One direction of one connection. */
export class LinkDirection {
  private freeAt = 0;
  private lastArrival = 0;
  private readonly queue: Pending[] = [];
  private timer: unknown = undefined;
  private stopped = false;
  /** bytes handed to the link and not yet delivered (a TCP sender's unacknowledged bytes) */
  inFlightBytes = 0;

  constructor(
    private readonly link: LinkProfile,
    private readonly bps: number,
    private readonly ordered: boolean,
    private readonly clock: Clock,
    private readonly random: SeededRandom,
  ) {}

  /** The link is busy for `ms` more before the next byte can go (e.g. the TCP three-way handshake). */
  idleFor(ms: number): void {
    this.freeAt = Math.max(this.freeAt, this.clock.now() + ms);
  }

  /** True when a datagram should be lost (drawn once per datagram). */
  loses(): boolean {
    return this.link.datagramLoss > 0 && this.random.next() < this.link.datagramLoss;
  }

  /** Calls `deliver` when `bytes` bytes sent now would arrive at the far end. */
  carry(bytes: number, deliver: () => void): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (this.bps > 0 ? (bytes * 8 * 1000) / this.bps : 0);
    const jitter = this.link.jitterMs > 0 ? (this.random.next() * 2 - 1) * this.link.jitterMs : 0;
    let at = this.freeAt + Math.max(0, this.link.delayMs + jitter);
    if (this.ordered) at = Math.max(at, this.lastArrival);
    this.lastArrival = Math.max(this.lastArrival, at);
    this.inFlightBytes += bytes;
    this.insert({ at, deliver, bytes });
    this.schedule();
  }

  /** Drops whatever is still on the way (the connection was torn down). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.inFlightBytes = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private insert(item: Pending): void {
    let index = this.queue.length;
    while (index > 0 && this.queue[index - 1].at > item.at) index--;
    this.queue.splice(index, 0, item);
  }

  private schedule(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const head = this.queue[0];
    if (!head) {
      this.timer = undefined;
      return;
    }
    this.timer = this.clock.setTimeout(() => this.deliverDue(), Math.max(0, head.at - this.clock.now()));
  }

  private deliverDue(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (!this.stopped && this.queue.length > 0 && this.queue[0].at <= now + 0.5) {
      const item = this.queue.shift();
      if (!item) break;
      this.inFlightBytes -= item.bytes;
      item.deliver();
    }
    this.schedule();
  }
}

/** Both directions of one connection on the link. */
export class LinkShaper {
  readonly up: LinkDirection;
  readonly down: LinkDirection;

  constructor(
    readonly link: LinkProfile,
    clock: Clock,
    seed: number,
    label: string,
    ordered: boolean,
  ) {
    this.up = new LinkDirection(link, link.upBps, ordered, clock, SeededRandom.derive(seed, `${label}/up`));
    this.down = new LinkDirection(
      link,
      link.downBps,
      ordered,
      clock,
      SeededRandom.derive(seed, `${label}/down`),
    );
  }

  /** One round trip on an idle link: what a TCP connect costs before the first byte can go. */
  get roundTripMs(): number {
    return 2 * this.link.delayMs;
  }

  stop(): void {
    this.up.stop();
    this.down.stop();
  }
}
