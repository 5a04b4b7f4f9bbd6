// The completion-based BIO (design.md, "Where the synchronous engine meets the asynchronous
// transport"). Mbed TLS calls ssl_send/ssl_recv synchronously; the transport answers later. So the
// first call starts one transport operation on a copy of the bytes (or into a staging buffer) and
// answers WANT_WRITE / WANT_READ; when the operation settles the owner's event fires, Mbed TLS calls
// again, and now gets the transport's result. The transport's WOULD_BLOCK is translated as the seed
// does: WANT_WRITE / WANT_READ, with the retry left to the next transport sigio.
import { NSAPI_ERROR_NO_SOCKET, NSAPI_ERROR_WOULD_BLOCK } from '../../shared/nsapi.ts';
import type { Socket } from '../netsocket/socket.ts';
import { MBEDTLS_ERR_SSL_WANT_READ, MBEDTLS_ERR_SSL_WANT_WRITE } from './mbedtls/constants.ts';

interface Pending<T> {
  result: T | null;
  /** transport sigio count when the operation started */
  startedAtEvent: number;
}

export class CompletionBio {
  private pendingSend: Pending<number> | null = null;
  private pendingRecv: Pending<number | Uint8Array> | null = null;
  /** bytes a transport read returned beyond what Mbed TLS asked for on its retry */
  private staged: Uint8Array | null = null;
  private transportEvents = 0;

  constructor(
    private readonly transport: () => Socket | null,
    /** wakes the owner (TLSSocketWrapper::event) once an operation settles */
    private readonly wake: () => void,
  ) {}

  /** The transport's sigio: data may now be readable or writable. */
  onTransportEvent(): void {
    this.transportEvents++;
  }

  /** True while a transport operation is in flight (close waits for them to settle). */
  busy(): boolean {
    return (
      (this.pendingSend !== null && this.pendingSend.result === null) ||
      (this.pendingRecv !== null && this.pendingRecv.result === null)
    );
  }

  readonly send = (data: Uint8Array): number => {
    const transport = this.transport();
    if (!transport) return NSAPI_ERROR_NO_SOCKET;
    const pending = this.pendingSend;
    if (pending && pending.result === null) return MBEDTLS_ERR_SSL_WANT_WRITE;
    if (pending) {
      this.pendingSend = null;
      const result = pending.result as number;
      if (result !== NSAPI_ERROR_WOULD_BLOCK) return result;
      // Would block: retry now if the transport signalled since, else on its next sigio.
      if (this.transportEvents === pending.startedAtEvent) return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    const copy = data.slice();
    const started: Pending<number> = { result: null, startedAtEvent: this.transportEvents };
    this.pendingSend = started;
    void transport.send(copy).then((result) => {
      started.result = result;
      this.wake();
    });
    return MBEDTLS_ERR_SSL_WANT_WRITE;
  };

  readonly recv = (maxLength: number): Uint8Array | number => {
    if (this.staged) return this.takeStaged(maxLength);
    const transport = this.transport();
    if (!transport) return NSAPI_ERROR_NO_SOCKET;
    const pending = this.pendingRecv;
    if (pending && pending.result === null) return MBEDTLS_ERR_SSL_WANT_READ;
    if (pending) {
      this.pendingRecv = null;
      const result = pending.result as number | Uint8Array;
      if (result instanceof Uint8Array) {
        this.staged = result;
        return this.takeStaged(maxLength);
      }
      if (result !== NSAPI_ERROR_WOULD_BLOCK) return result; // 0 = EOF, or an nsapi error passed through
      if (this.transportEvents === pending.startedAtEvent) return MBEDTLS_ERR_SSL_WANT_READ;
    }
    const started: Pending<number | Uint8Array> = { result: null, startedAtEvent: this.transportEvents };
    this.pendingRecv = started;
    const buffer = new Uint8Array(maxLength);
    void transport.recv(buffer).then((n) => {
      started.result = n > 0 ? buffer.subarray(0, n) : n;
      this.wake();
    });
    return MBEDTLS_ERR_SSL_WANT_READ;
  };

  private takeStaged(maxLength: number): Uint8Array {
    const staged = this.staged as Uint8Array;
    if (staged.length <= maxLength) {
      this.staged = null;
      return staged;
    }
    this.staged = staged.subarray(maxLength);
    return staged.subarray(0, maxLength);
  }
}
