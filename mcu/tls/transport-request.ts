// One transport call in flight, as an object: the way Node's stream layer hands each write a request
// (lib/internal/js_stream_socket.js and its WriteWrap / ShutdownWrap) and completes it later with a status.
// A request settles once with the transport's result; whoever needs that result awaits `done` instead of
// counting completions, and the BIO hands the result to Mbed TLS once (`take`), so a waiter can tell
// whether another caller's Mbed TLS call received it meanwhile (`handed_over`).
import type { Socket } from '../netsocket/socket.ts';

export type TransportCall = 'send' | 'recv';

export class TransportRequest {
  private _settled = false;
  private _result = 0;
  private _handed_over = false;
  /** Resolves once the transport call returned (after the owner heard of it). */
  readonly done: Promise<void>;

  constructor(
    readonly call: TransportCall,
    transport: Socket,
    /** send: a copy of Mbed TLS's bytes; recv: the staging buffer the transport fills */
    readonly bytes: Uint8Array,
    /** the transport's sigio count when the call started (see CompletionBio: WOULD_BLOCK) */
    readonly started_at_event: number,
    on_settled: () => void,
  ) {
    const started = call === 'send' ? transport.send(bytes) : transport.recv(bytes);
    this.done = started.then((result) => {
      this._result = result;
      this._settled = true;
      on_settled();
    });
  }

  get settled(): boolean {
    return this._settled;
  }

  /** The transport's result (a count or an nsapi code); meaningful once settled. */
  get result(): number {
    return this._result;
  }

  /** True once the result went to Mbed TLS as the answer of a BIO call. */
  get handed_over(): boolean {
    return this._handed_over;
  }

  /** The result, for the BIO call that hands it to Mbed TLS. */
  take(): number {
    this._handed_over = true;
    return this._result;
  }
}
