// A Socket as a Node Duplex, so a library written for net.Socket (MQTT.js, Node's http client) runs over
// TCPSocket, either TLSSocket variant or a TLSSocketWrapper unchanged: the TLSSocket design's first goal,
// "an existing library becomes secure without code changes" (Mbed OS docs, "TLSSocket": TLSSocket
// implements the Socket API).
//
// How it maps (Node's stream contract: doc/api/stream.md, "API for stream implementers"):
// * The socket runs non-blocking (set_blocking(false)) and sigio drives both directions: a call that
//   answers WOULD_BLOCK waits for the next sigio after it started (sigio-signal.ts). No polling loop.
// * Read: _read() starts recv() calls until push() says the readable side is full; then nothing is read
//   from the socket until Node asks again. recv() 0 (the peer closed) is push(null).
// * Write: a write completes only when the socket took all its bytes (a partial send is sent on from where
//   it stopped, with the same bytes after WOULD_BLOCK, as mbedtls_ssl_write requires); corked writes go
//   out merged (write-batches.ts).
// * End: end() closes the socket once the writes before it were taken (nsapi has no shutdown(SHUT_WR):
//   close() is the only FIN, and in TLS the close_notify). Without allowHalfOpen (the default, as
//   net.Socket) the peer's close ends the writable side too, which then closes the socket.
// * Errors are Node errors with the nsapi code (nsapi-error.ts); a write after end() or destroy() is
//   Node's ERR_STREAM_WRITE_AFTER_END / ERR_STREAM_DESTROYED, and a write the socket refuses (closed
//   under the adapter, connection lost) fails with its nsapi code: never a silent drop.
import { Duplex } from 'node:stream';
import { type Clock, deviceClock } from '../../../shared/clock.ts';
import {
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import type { Socket } from '../socket.ts';
import { nsapiError } from './nsapi-error.ts';
import { SigioSignal } from './sigio-signal.ts';
import { writeBatches } from './write-batches.ts';

/** BG96's largest read (AT+QIRD / AT+QSSLRECV take at most 1500 bytes: BG96 TCP/IP and SSL AT manuals). */
const DEFAULT_RECV_CHUNK = 1500;
/** One TLS record's worth (MBEDTLS_SSL_OUT_CONTENT_LEN): merging more would not save a record. */
const DEFAULT_MERGE_LIMIT = 16_384;
/**
 * The most bytes handed to one send(). The BG96 stack sends a whole call under the AT lock (1460-byte
 * AT+QISEND / AT+QSSLSEND phases), so no recv() runs meanwhile; when the peer only reads once the device
 * has read (a broker forwarding to the same device), a long call fills the modem's 64 KiB send buffer
 * and ends in SEND FAIL. A few phases per call keep reads going between them.
 */
const DEFAULT_SEND_CHUNK = 4096;

export interface SocketDuplexOptions {
  /**
   * Connect before the first read or write: an address (the socket's connect(), as it is configured),
   * or a function that configures and connects it and returns the nsapi code. OK or IS_CONNECTED go on;
   * anything else destroys the stream with that code. Without it the socket must already be connected.
   */
  connect?: SocketAddress | (() => Promise<number>);
  /** Bytes asked for per recv() (default 1500, BG96's largest read). */
  recvChunk?: number;
  /** Largest buffer that merged writes may make (default 16 384, one TLS record). */
  mergeLimit?: number;
  /** Most bytes passed to one send() (default 4096): reads interleave with a long write. */
  sendChunk?: number;
  /**
   * When the stream closes, call the socket's destroy() (TLSSocket: frees its Mbed TLS context) rather
   * than close(). For sockets the stream owns, e.g. one made per MQTT.js (re)connect.
   */
  destroySocket?: boolean;
  /** net.Socket's default: false (the peer's close ends the writable side too). */
  allowHalfOpen?: boolean;
  readableHighWaterMark?: number;
  writableHighWaterMark?: number;
  /** the idle timer of setTimeout() (tests bring a manual one) */
  clock?: Clock;
}

/** What the adapter did, for tests and costs. */
export interface SocketDuplexStats {
  sendCalls: number;
  recvCalls: number;
  /** the most bytes the readable side held after a push (bounded by its highWaterMark + one recv) */
  peakReadableBytes: number;
  /** the biggest buffer the adapter made by merging writes (bounded by mergeLimit) */
  peakMergedBytes: number;
}

type Destroyable = Socket & { destroy(): Promise<void> };
const hasDestroy = (socket: Socket): socket is Destroyable =>
  typeof (socket as Partial<Destroyable>).destroy === 'function';

export class SocketDuplex extends Duplex {
  /** Bytes the socket accepted, and bytes recv() returned (net.Socket's names). */
  bytesWritten = 0;
  bytesRead = 0;
  readonly stats: SocketDuplexStats = {
    sendCalls: 0,
    recvCalls: 0,
    peakReadableBytes: 0,
    peakMergedBytes: 0,
  };
  /** net.Socket's idle timeout in ms (0: none). */
  timeout = 0;

  private readonly signal = new SigioSignal();
  private readonly ready: Promise<void>;
  private _connecting: boolean;
  private readonly recvBuffer: Uint8Array;
  private readonly mergeLimit: number;
  private readonly sendChunk: number;
  private readonly clock: Clock;
  private wantRead = false;
  private reading = false;
  private readEnded = false;
  /** set when the adapter starts closing the socket: from then on recv()'s errors mean "closed" */
  private socketClosing = false;
  private closing: Promise<number> | null = null;
  private idleTimer: unknown = null;

  constructor(
    readonly socket: Socket,
    private readonly options: SocketDuplexOptions = {},
  ) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.recvBuffer = new Uint8Array(options.recvChunk ?? DEFAULT_RECV_CHUNK);
    this.mergeLimit = options.mergeLimit ?? DEFAULT_MERGE_LIMIT;
    this.sendChunk = options.sendChunk ?? DEFAULT_SEND_CHUNK;
    this.clock = options.clock ?? deviceClock;
    this._connecting = options.connect !== undefined;
    this.ready = this.start();
    // A failed connect destroys the stream; the reads and writes that waited for it see `destroyed`.
    this.ready.catch(() => {});
  }

  /** net.Socket's: true until the connect option's connect completed. */
  get connecting(): boolean {
    return this._connecting;
  }

  /** The peer's address from getpeername(), as net.Socket's remoteAddress (undefined when unknown). */
  get remoteAddress(): string | undefined {
    const address = new SocketAddress();
    return this.socket.getpeername(address) === NSAPI_ERROR_OK
      ? (address.get_ip_address() ?? undefined)
      : undefined;
  }

  get remotePort(): number | undefined {
    const address = new SocketAddress();
    return this.socket.getpeername(address) === NSAPI_ERROR_OK ? address.get_port() : undefined;
  }

  private async start(): Promise<void> {
    const connect = this.options.connect;
    if (connect !== undefined) {
      const ret = typeof connect === 'function' ? await connect() : await this.socket.connect(connect);
      this._connecting = false;
      if (ret !== NSAPI_ERROR_OK && ret !== NSAPI_ERROR_IS_CONNECTED) {
        const error = nsapiError('connect', ret);
        this.destroy(error);
        throw error;
      }
    }
    if (this.destroyed) throw nsapiError('connect', NSAPI_ERROR_NO_SOCKET);
    // From here on nothing waits inside the socket: WOULD_BLOCK comes back at once, sigio says when to retry.
    this.socket.set_blocking(false);
    this.socket.sigio(() => this.signal.fire());
    this.emit('connect');
    this.emit('ready');
  }

  // ---- read ----------------------------------------------------------------------------------------

  override _read(): void {
    this.wantRead = true;
    void this.pumpRead();
  }

  /** recv() until the readable side is full, the peer closed or the socket failed; one loop at a time. */
  private async pumpRead(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      await this.ready;
      while (this.wantRead && !this.destroyed && !this.readEnded) {
        if (this.socketClosing) {
          this.endReadable();
          break;
        }
        const seen = this.signal.count;
        this.stats.recvCalls++;
        const ret = await this.socket.recv(this.recvBuffer);
        if (this.destroyed) break;
        if (ret > 0) {
          this.bytesRead += ret;
          this.touch();
          // A copy: the receive buffer is reused, and the consumer may keep what it is given.
          this.wantRead = this.push(Buffer.from(this.recvBuffer.subarray(0, ret)));
          this.stats.peakReadableBytes = Math.max(this.stats.peakReadableBytes, this.readableLength);
        } else if (ret === 0) {
          this.endReadable();
        } else if (ret === NSAPI_ERROR_WOULD_BLOCK) {
          await this.signal.after(seen);
        } else if (this.socketClosing) {
          // Our own close() ran while this recv() was out: that ends reading, it is no failure.
          this.endReadable();
        } else {
          this.destroy(nsapiError('recv', ret));
        }
      }
    } catch (error) {
      if (!this.destroyed) this.destroy(error as Error);
    } finally {
      this.reading = false;
    }
  }

  private endReadable(): void {
    if (this.readEnded) return;
    this.readEnded = true;
    this.push(null);
  }

  // ---- write ---------------------------------------------------------------------------------------

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendAll([chunk]).then(() => callback(), callback);
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    this.sendAll(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  private async sendAll(chunks: Buffer[]): Promise<void> {
    await this.ready;
    for (const { bytes, merged } of writeBatches(chunks, this.mergeLimit)) {
      if (merged) this.stats.peakMergedBytes = Math.max(this.stats.peakMergedBytes, bytes.length);
      await this.sendFully(bytes);
    }
  }

  /** send() until the socket took every byte; after WOULD_BLOCK the same bytes again, once sigio came. */
  private async sendFully(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.socketClosing || this.destroyed) throw nsapiError('send', NSAPI_ERROR_NO_SOCKET);
      const seen = this.signal.count;
      this.stats.sendCalls++;
      // The same bytes again after WOULD_BLOCK: offset only moves when the socket took some.
      const ret = await this.socket.send(bytes.subarray(offset, offset + this.sendChunk));
      if (ret > 0) {
        offset += ret;
        this.bytesWritten += ret;
        this.touch();
        // Let I/O run between the calls of one long write, as a device's other threads would: in-process
        // (mock UART, unpaced) the modem's host sockets drain only then, else its send buffer fills.
        if (offset < bytes.length) await new Promise((resolve) => setImmediate(resolve));
      } else if (ret === NSAPI_ERROR_WOULD_BLOCK || ret === 0) {
        await this.signal.after(seen);
      } else {
        throw nsapiError('send', ret);
      }
    }
  }

  // ---- end, close, destroy -------------------------------------------------------------------------

  /** end(): every write before it was taken (Node calls _final after them); now the socket's close(). */
  override _final(callback: (error?: Error | null) => void): void {
    this.ready
      .then(() => this.closeSocket())
      .then(
        (ret) => callback(ret < 0 && ret !== NSAPI_ERROR_NO_SOCKET ? nsapiError('close', ret) : null),
        (error) => callback(error),
      );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopIdleTimer();
    this.signal.fire(); // wake a read or write waiting for sigio: they see `destroyed` and stop
    this.closeSocket().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** Closes (or destroys) the socket once, whoever asks first. */
  private closeSocket(): Promise<number> {
    this.closing ??= (async () => {
      this.socketClosing = true;
      this.signal.fire();
      const socket = this.socket;
      let ret: number;
      if (this.options.destroySocket && hasDestroy(socket)) {
        await socket.destroy();
        ret = NSAPI_ERROR_OK;
      } else {
        ret = await socket.close();
      }
      socket.sigio(null);
      this.endReadable();
      return ret;
    })();
    return this.closing;
  }

  // ---- the rest of net.Socket's surface that http.Agent and MQTT.js use ---------------------------

  /** Emits 'timeout' after `ms` without bytes either way (net.Socket#setTimeout); 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback) this.once('timeout', callback);
    this.touch();
    return this;
  }

  /** No Nagle to turn off: each send is an AT exchange of its own. */
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  /** TCP keepalive is the modem's business (AT+QICFG="tcp/keepalive"); nothing to set from here. */
  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }

  /** No handle keeps the event loop alive: the UART does. */
  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private touch(): void {
    this.stopIdleTimer();
    if (this.timeout > 0 && !this.destroyed) {
      this.idleTimer = this.clock.setTimeout(() => {
        this.idleTimer = null;
        this.emit('timeout');
      }, this.timeout);
    }
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/**
 * A Socket (TCPSocket, TLSSocket, TLSSocketWrapper…) as a Node Duplex: give it to a library that expects
 * net.Socket, e.g. MQTT.js's stream builder or http.request's createConnection (README, "Using libraries").
 */
export function toDuplex(socket: Socket, options?: SocketDuplexOptions): SocketDuplex {
  return new SocketDuplex(socket, options);
}
