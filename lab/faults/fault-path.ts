// One direction of the datagram fault proxy, without sockets: each datagram goes through the faults in
// a fixed order (mtu, drop, corrupt, bad_ad, truncate, delay, duplicate, reorder window, garbage), every
// draw from this direction's seeded stream, every wait on the clock. What survives is handed to deliver().
import type { Clock } from '../../shared/clock.ts';
import type { SeededRandom } from '../../shared/seeded-random.ts';
import {
  CONTENT_TYPE,
  describeDatagram,
  HANDSHAKE_TYPE,
  hasContentType,
  hasHandshakeType,
  type ParsedDatagram,
  parseDtlsDatagram,
  RECORD_HEADER_LENGTH,
} from './dtls-records.ts';
import type { Direction, ResolvedFaults } from './fault-spec.ts';

export interface DirectionStats {
  /** Datagrams that came in (from the client for to-server, from the server for to-client). */
  received: number;
  /** Datagrams sent on (duplicates, corrupted copies and garbage included). */
  forwarded: number;
  bytesIn: number;
  bytesOut: number;
  dropped: number;
  droppedMtu: number;
  duplicated: number;
  delayed: number;
  /** Datagrams a reorder window released at another position than they arrived in. */
  reordered: number;
  /** Application records corrupted in place, plus corrupted copies sent before the original (badAd). */
  corrupted: number;
  truncated: number;
  garbage: number;
  /** Datagrams a test or runner injected. */
  injected: number;
}

export function emptyDirectionStats(): DirectionStats {
  return {
    received: 0,
    forwarded: 0,
    bytesIn: 0,
    bytesOut: 0,
    dropped: 0,
    droppedMtu: 0,
    duplicated: 0,
    delayed: 0,
    reordered: 0,
    corrupted: 0,
    truncated: 0,
    garbage: 0,
    injected: 0,
  };
}

export type FaultAction =
  | 'forward'
  | 'drop'
  | 'drop-mtu'
  | 'duplicate'
  | 'delay'
  | 'reorder'
  | 'corrupt'
  | 'bad-ad'
  | 'truncate'
  | 'garbage'
  | 'inject'
  | 'ignored';

export interface FaultEvent {
  direction: Direction;
  action: FaultAction;
  bytes: number;
  /** What the datagram carried, e.g. "ClientHello" or "ApplicationData". */
  what: string;
}

export class FaultPath {
  readonly stats: DirectionStats = emptyDirectionStats();
  private window: Buffer[] = [];
  private windowTimer: unknown = null;
  private readonly timers = new Set<unknown>();
  /** delayHandshake entries not used yet (each delays one datagram). */
  private pendingHandshakeDelays: number[] = [];
  private ccsDelayed = false;
  private closed = false;

  constructor(
    readonly direction: Direction,
    private faults: ResolvedFaults,
    private rng: SeededRandom,
    private readonly clock: Clock,
    private readonly deliver: (datagram: Buffer) => void,
    private readonly onEvent?: (event: FaultEvent) => void,
  ) {
    this.reset(faults, rng);
  }

  /** New faults (and stream) from now on; what is held keeps its schedule. */
  reset(faults: ResolvedFaults, rng: SeededRandom): void {
    this.faults = faults;
    this.rng = rng;
    this.pendingHandshakeDelays = faults.delayHandshake.map((name) => HANDSHAKE_TYPE[name]);
    this.ccsDelayed = false;
  }

  push(datagram: Buffer): void {
    if (this.closed) return;
    const f = this.faults;
    const parsed = parseDtlsDatagram(datagram);
    this.stats.received++;
    this.stats.bytesIn += datagram.length;
    if (f.mtu !== undefined && datagram.length > f.mtu) {
      this.stats.droppedMtu++;
      this.event('drop-mtu', datagram, parsed);
      return;
    }
    const isProtected =
      (f.protectHvr && hasHandshakeType(parsed, HANDSHAKE_TYPE.HelloVerifyRequest)) ||
      (f.protectLen !== undefined && datagram.length === f.protectLen);
    if (!isProtected && this.rng.oneIn(f.drop)) {
      this.stats.dropped++;
      this.event('drop', datagram, parsed);
      return;
    }
    let out = datagram;
    const carriesAppData = hasContentType(parsed, CONTENT_TYPE.application_data);
    if (!isProtected && carriesAppData && this.rng.oneIn(f.corruptAppData)) {
      out = this.corrupted(out, parsed);
      this.stats.corrupted++;
      this.event('corrupt', out, parsed);
    }
    if (f.badAd && carriesAppData) {
      const copy = this.corrupted(out, parsed);
      this.stats.corrupted++;
      this.event('bad-ad', copy, parsed);
      this.emit(copy);
    }
    if (!isProtected && this.rng.oneIn(f.truncate) && out.length > 1) {
      out = out.subarray(0, 1 + this.rng.int(out.length - 1));
      this.stats.truncated++;
      this.event('truncate', out, parsed);
    }
    if (!isProtected && (this.takeTargetedDelay(parsed) || this.rng.oneIn(f.delay))) {
      this.stats.delayed++;
      this.event('delay', out, parsed);
      const held = out;
      this.later(f.delayMs, () => this.send(held));
    } else {
      this.emit(out);
      if (this.rng.oneIn(f.duplicate)) {
        this.stats.duplicated++;
        this.event('duplicate', out, parsed);
        this.emit(Buffer.from(out));
      }
    }
    if (this.rng.oneIn(f.garbage)) {
      const junk = this.rng.bytes(1 + this.rng.int(200));
      this.stats.garbage++;
      this.event('garbage', junk, parseDtlsDatagram(junk));
      this.emit(junk);
    }
  }

  /** Sends a datagram as it is, past every fault (tests and runners spoofing one side). */
  inject(datagram: Buffer): void {
    if (this.closed) return;
    this.stats.injected++;
    this.event('inject', datagram, parseDtlsDatagram(datagram));
    this.send(datagram);
  }

  /** Drops whatever is held and cancels every timer. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    if (this.windowTimer !== null) this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.window = [];
  }

  /** Into the reorder window when there is one, else straight out. */
  private emit(datagram: Buffer): void {
    const size = this.faults.reorder;
    if (size < 2) {
      this.send(datagram);
      return;
    }
    this.window.push(datagram);
    if (this.window.length >= size) {
      this.releaseWindow();
      return;
    }
    if (this.windowTimer === null) {
      this.windowTimer = this.clock.setTimeout(() => {
        this.windowTimer = null;
        this.releaseWindow();
      }, this.faults.reorderMs);
    }
  }

  private releaseWindow(): void {
    if (this.windowTimer !== null) this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = null;
    const held = this.window;
    this.window = [];
    const order = this.rng.shuffle(held.map((_, i) => i));
    order.forEach((from, to) => {
      const datagram = held[from]!;
      if (from !== to) {
        this.stats.reordered++;
        this.event('reorder', datagram, parseDtlsDatagram(datagram));
      }
      this.send(datagram);
    });
  }

  private send(datagram: Buffer): void {
    if (this.closed) return;
    this.stats.forwarded++;
    this.stats.bytesOut += datagram.length;
    this.event('forward', datagram, null);
    this.deliver(datagram);
  }

  private later(ms: number, action: () => void): void {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  /** The first datagram carrying a listed handshake message (or the first CCS, with delayCcs) is held. */
  private takeTargetedDelay(parsed: ParsedDatagram): boolean {
    const index = this.pendingHandshakeDelays.findIndex((type) => hasHandshakeType(parsed, type));
    if (index >= 0) {
      this.pendingHandshakeDelays.splice(index, 1);
      return true;
    }
    if (this.faults.delayCcs && !this.ccsDelayed && hasContentType(parsed, CONTENT_TYPE.change_cipher_spec)) {
      this.ccsDelayed = true;
      return true;
    }
    return false;
  }

  /** A copy with one bit flipped inside the first application record's protected bytes (never its header). */
  private corrupted(datagram: Buffer, parsed: ParsedDatagram): Buffer {
    const copy = Buffer.from(datagram);
    const record = parsed.records.find((r) => r.contentType === CONTENT_TYPE.application_data);
    if (!record || record.length === 0) return copy;
    const at = record.offset + RECORD_HEADER_LENGTH + this.rng.int(record.length);
    copy[at]! ^= 1 << this.rng.int(8);
    return copy;
  }

  private event(action: FaultAction, datagram: Buffer, parsed: ParsedDatagram | null): void {
    if (!this.onEvent) return;
    const what = describeDatagram(parsed ?? parseDtlsDatagram(datagram));
    this.onEvent({ direction: this.direction, action, bytes: datagram.length, what });
  }
}
