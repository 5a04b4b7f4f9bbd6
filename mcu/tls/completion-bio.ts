// The completion-based BIO (docs/architecture.md, "The completion-based BIO"). Mbed TLS calls ssl_send /
// ssl_recv synchronously and wants an answer at once; the transport answers later. So a BIO call with
// nothing in flight starts one transport call, a TransportRequest (on a copy of the bytes, or into a
// staging buffer), and answers WANT_WRITE / WANT_READ; while the request is in flight every call answers
// the same; the first call after it settled hands its result to Mbed TLS. The transport's WOULD_BLOCK
// becomes WANT_WRITE / WANT_READ as in Mbed OS (connectivity/netsocket/source/TLSSocketWrapper.cpp,
// TLSSocketWrapper::ssl_send() and ssl_recv()), and the next transport call waits for the transport's sigio.
//
// After Mbed TLS answered WANT_*, the wrapper asks wait_for() what to wait for: the request in flight in
// that direction, or the next signal. That is the only way a waiting wrapper call is woken.
import type { Clock } from '../../shared/clock.ts';
import { NSAPI_ERROR_NO_SOCKET, NSAPI_ERROR_WOULD_BLOCK } from '../../shared/nsapi.ts';
import type { Socket } from '../netsocket/socket.ts';
import { MBEDTLS_ERR_SSL_WANT_READ, MBEDTLS_ERR_SSL_WANT_WRITE } from './mbedtls/constants.ts';
import { type TransportCall, TransportRequest } from './transport-request.ts';
import { TransportSignal } from './transport-signal.ts';

const WANT: Record<TransportCall, number> = {
  send: MBEDTLS_ERR_SSL_WANT_WRITE,
  recv: MBEDTLS_ERR_SSL_WANT_READ,
};

/** What a wrapper call waits for once Mbed TLS answered WANT_READ / WANT_WRITE. */
export interface BioWait {
  /** The transport call in flight in that direction, or null: then the next signal is awaited. */
  readonly request: TransportRequest | null;
  /**
   * True when Mbed TLS may make progress. A request is awaited as long as it takes (on a device it is a
   * synchronous AT exchange, bounded by its own AT timeouts); the signal for at most `timeoutMs`
   * (negative: no bound), false if it passes first.
   */
  until(timeoutMs: number): Promise<boolean>;
}

export class CompletionBio {
  private readonly requests: Record<TransportCall, TransportRequest | null> = { send: null, recv: null };
  /** The transport event count at which a call answered WOULD_BLOCK: no new call until a later event. */
  private readonly blocked_at: Record<TransportCall, number | null> = { send: null, recv: null };
  /** Bytes a transport read returned beyond what Mbed TLS asked for on its retry. */
  private staged: Uint8Array | null = null;
  private readonly signal: TransportSignal;

  constructor(
    private readonly transport: () => Socket | null,
    clock: Clock,
    /** Tells the owner a request settled (TLSSocketWrapper: the user's sigio). */
    private readonly on_settled: () => void,
  ) {
    this.signal = new TransportSignal(clock);
  }

  /** The transport's sigio. */
  on_transport_event(): void {
    this.signal.from_transport();
  }

  /** The DTLS retransmission timer expired. */
  on_timer_expired(): void {
    this.signal.from_timer();
  }

  /** Signals so far: taken before an Mbed TLS call, passed to wait_for after it. */
  get signals(): number {
    return this.signal.count;
  }

  /** True while a transport call has not returned. */
  in_flight(): boolean {
    return [this.requests.send, this.requests.recv].some((request) => request !== null && !request.settled);
  }

  /** What to wait for after Mbed TLS answered `want` to a call made when the signal count was `seen`. */
  wait_for(want: number, seen: number): BioWait {
    const request = this.requests[want === MBEDTLS_ERR_SSL_WANT_WRITE ? 'send' : 'recv'];
    if (request) return { request, until: () => request.done.then(() => true) };
    return { request: null, until: (timeoutMs) => this.signal.after(seen, timeoutMs) };
  }

  readonly send = (data: Uint8Array): number => {
    const request = this.advance('send', () => data.slice());
    return typeof request === 'number' ? request : request.take();
  };

  readonly recv = (maxLength: number): Uint8Array | number => {
    if (this.staged) return this.take_staged(maxLength);
    const request = this.advance('recv', () => new Uint8Array(maxLength));
    if (typeof request === 'number') return request;
    const n = request.take();
    if (n <= 0) return n; // 0 = EOF, or an nsapi error passed through
    this.staged = request.bytes.subarray(0, n);
    return this.take_staged(maxLength);
  };

  /**
   * The one request mechanism send and recv share. Returns the settled request whose result Mbed TLS gets
   * now, or the code to answer: NO_SOCKET without a transport, else WANT_* (a request in flight or just
   * started, or the transport would block and has not signalled since).
   */
  private advance(call: TransportCall, bytes: () => Uint8Array): TransportRequest | number {
    const transport = this.transport();
    if (!transport) return NSAPI_ERROR_NO_SOCKET;
    const request = this.requests[call];
    if (request && !request.settled) return WANT[call];
    if (request) {
      this.requests[call] = null;
      if (request.result !== NSAPI_ERROR_WOULD_BLOCK) return request;
      this.blocked_at[call] = request.started_at_event;
    }
    if (this.blocked_at[call] === this.signal.transport_events) return WANT[call];
    this.blocked_at[call] = null;
    this.requests[call] = new TransportRequest(
      call,
      transport,
      bytes(),
      this.signal.transport_events,
      this.on_settled,
    );
    return WANT[call];
  }

  private take_staged(maxLength: number): Uint8Array {
    const staged = this.staged as Uint8Array;
    if (staged.length <= maxLength) {
      this.staged = null;
      return staged;
    }
    this.staged = staged.subarray(maxLength);
    return staged.subarray(0, maxLength);
  }
}
