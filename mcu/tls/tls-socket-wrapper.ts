// TLSSocketWrapper (reference §3): TLS on the MCU with the real Mbed TLS library, over any Socket as
// transport. The handshake state machine, the blocking/timeout/non-blocking model and the return codes
// are Mbed OS's; the BIO is completion-based (completion-bio.ts) so nothing blocks the event loop.

import { type Clock, realClock } from '../../shared/clock.ts';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { tlsSocketDebugLevel } from '../mbed-config.ts';
import { tr_debug, tr_error, tr_info } from '../mbed-trace.ts';
import type { Socket } from '../netsocket/socket.ts';
import { CompletionBio } from './completion-bio.ts';
import {
  MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_ERR_SSL_WANT_WRITE,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_PRESET_DEFAULT,
  MBEDTLS_SSL_TRANSPORT_STREAM,
  MBEDTLS_SSL_VERIFY_REQUIRED,
} from './mbedtls/constants.ts';
import { CtrDrbg } from './mbedtls/ctr-drbg.ts';
import { mbedtlsDebugSetThreshold, mbedtlsStrerror, x509VerifyInfo } from './mbedtls/functions.ts';
import { PkContext } from './mbedtls/pk-context.ts';
import { SslConfig } from './mbedtls/ssl-config.ts';
import { SslContext } from './mbedtls/ssl-context.ts';
import { X509Crt } from './mbedtls/x509-crt.ts';
import { cStringOf, type PemOrDer } from './pem-length.ts';

const TRACE_GROUP = 'TLSW';
/** "mbed TLS client" with its NUL: 16 bytes, as Mbed OS seeds the DRBG. */
const DRBG_PERSONALIZATION = new Uint8Array([...Buffer.from('mbed TLS client'), 0]);

export enum control_transport {
  TRANSPORT_KEEP = 0,
  TRANSPORT_CONNECT_AND_CLOSE = 1,
  TRANSPORT_CONNECT = 2,
  TRANSPORT_CLOSE = 3,
}

const isWant = (ret: number) => ret === MBEDTLS_ERR_SSL_WANT_READ || ret === MBEDTLS_ERR_SSL_WANT_WRITE;

export function print_mbedtls_error(name: string, err: number): void {
  tr_error(TRACE_GROUP, `${name}() failed: -0x${(-err).toString(16)} (${err}): ${mbedtlsStrerror(err)}`);
}

export class TLSSocketWrapper implements Socket {
  protected _transport: Socket | null;
  protected _timeout = -1;
  private _sigio: (() => void) | null = null;
  /** Everyone waiting for the next event(); all of them wake (see wait_event). */
  private readonly _event_waiters = new Set<() => void>();
  /** An event() that found nobody waiting: the next wait returns at once, as a set flag would. */
  private _event_missed = false;
  /** Send results the BIO has handed to Mbed TLS (not WANT_WRITE). */
  private _send_completions = 0;
  private _cacert: X509Crt | null = null;
  private _cacert_allocated = false;
  private _clicert: X509Crt | null = null;
  private _clicert_allocated = false;
  private _ssl_conf: SslConfig | null = null;
  private _ssl_conf_allocated = false;
  private _pkctx = new PkContext();
  private readonly _drbg = new CtrDrbg();
  protected readonly _ssl = new SslContext();
  private _tls_initialized = false;
  private _handshake_completed = false;
  /** the raw Mbed TLS code of a failed handshake: later attempts keep failing (docs/deviations.md) */
  private _handshake_error = 0;
  private readonly _connect_transport: boolean;
  private readonly _close_transport: boolean;
  private _hostname: string | null = null;
  /** recv saw the peer's close_notify or end of stream (docs/deviations.md: close then skips close_notify) */
  private _peer_closed = false;
  protected readonly bio: CompletionBio;

  constructor(
    transport: Socket | null,
    hostname: string | null = null,
    control: control_transport = control_transport.TRANSPORT_CONNECT_AND_CLOSE,
    /** the clock every wait goes through (real time unless a test or replay brings its own) */
    protected readonly clock: Clock = realClock,
  ) {
    this._transport = transport;
    this._connect_transport =
      control === control_transport.TRANSPORT_CONNECT ||
      control === control_transport.TRANSPORT_CONNECT_AND_CLOSE;
    this._close_transport =
      control === control_transport.TRANSPORT_CLOSE ||
      control === control_transport.TRANSPORT_CONNECT_AND_CLOSE;
    this.bio = new CompletionBio(
      () => this._transport,
      () => this.event(),
    );
    if (hostname) this.set_hostname(hostname);
  }

  // ---- configuration ----------------------------------------------------------------------------

  /** SNI and the name the server certificate must match; void, as in the Mbed TLS variant. */
  set_hostname(hostname: string): void {
    this._hostname = hostname;
    if (this._tls_initialized) this._ssl.setHostname(hostname);
  }

  /**
   * A string is a C string: its length is strlen + 1, which PEM needs. Bytes take their length (or
   * `len`): PEM bytes must then include the NUL, DER is raw. PARAMETER, with nothing changed, if they
   * do not parse.
   */
  set_root_ca_cert(root_ca: PemOrDer, len?: number): number {
    const bytes =
      typeof root_ca === 'string' ? cStringOf(root_ca) : root_ca.subarray(0, len ?? root_ca.length);
    const crt = new X509Crt();
    const ret = crt.parse(bytes);
    if (ret !== 0) {
      if (ret < 0) print_mbedtls_error('mbedtls_x509_crt_parse', ret);
      return NSAPI_ERROR_PARAMETER;
    }
    this.set_ca_chain(crt);
    this._cacert_allocated = true;
    return NSAPI_ERROR_OK;
  }

  /** Client certificate and key (key without password); PARAMETER if either fails to parse. */
  set_client_cert_key(cert: PemOrDer, key: PemOrDer): number;
  set_client_cert_key(cert: Uint8Array, cert_len: number, key: Uint8Array, key_len: number): number;
  set_client_cert_key(cert: PemOrDer, a: PemOrDer | number, b?: Uint8Array, c?: number): number {
    const certBytes =
      typeof cert === 'string' ? cStringOf(cert) : cert.subarray(0, typeof a === 'number' ? a : cert.length);
    const key = typeof a === 'number' ? (b as Uint8Array).subarray(0, c) : a;
    const keyBytes = typeof key === 'string' ? cStringOf(key) : key;
    const crt = new X509Crt();
    let ret = crt.parse(certBytes);
    if (ret !== 0) {
      if (ret < 0) print_mbedtls_error('mbedtls_x509_crt_parse', ret);
      return NSAPI_ERROR_PARAMETER;
    }
    // Parsed into a fresh context so a bad key leaves the previous one in place (docs/deviations.md).
    const pk = new PkContext();
    ret = pk.parseKey(keyBytes);
    if (ret !== 0) {
      print_mbedtls_error('mbedtls_pk_parse_key', ret);
      return NSAPI_ERROR_PARAMETER;
    }
    this._pkctx = pk;
    ret = this.set_own_cert(crt);
    this._clicert_allocated = true;
    return ret === 0 ? NSAPI_ERROR_OK : ret;
  }

  get_own_cert(): X509Crt | null {
    return this._clicert;
  }

  /** Caller-owned certificate, registered with the wrapper's key; returns the raw Mbed TLS code. */
  set_own_cert(crt: X509Crt | null): number {
    this._clicert = crt;
    this._clicert_allocated = false;
    if (!crt) return 0;
    const ret = this.get_ssl_config().setOwnCert(crt, this._pkctx);
    if (ret !== 0) print_mbedtls_error('mbedtls_ssl_conf_own_cert', ret);
    return ret;
  }

  get_ca_chain(): X509Crt | null {
    return this._cacert;
  }

  set_ca_chain(crt: X509Crt | null): void {
    this._cacert = crt;
    this._cacert_allocated = false;
    this.get_ssl_config().setCaChain(crt);
  }

  /** Lazily made: client endpoint, the wrapper's transport kind, default preset, VERIFY_REQUIRED. */
  get_ssl_config(): SslConfig {
    if (!this._ssl_conf) {
      const conf = new SslConfig();
      const ret = conf.defaults(MBEDTLS_SSL_IS_CLIENT, this.ssl_transport(), MBEDTLS_SSL_PRESET_DEFAULT);
      if (ret !== 0) {
        print_mbedtls_error('mbedtls_ssl_config_defaults', ret);
        throw new Error(`MBED_ERROR: mbedtls_ssl_config_defaults failed (${ret})`);
      }
      conf.setAuthmode(MBEDTLS_SSL_VERIFY_REQUIRED);
      this._ssl_conf = conf;
      this._ssl_conf_allocated = true;
    }
    return this._ssl_conf;
  }

  /** Shares a caller-owned config (the owner must outlive this socket); null = a fresh default next time. */
  set_ssl_config(conf: SslConfig | null): void {
    if (this._ssl_conf && this._ssl_conf_allocated && this._ssl_conf !== conf) this._ssl_conf.free();
    this._ssl_conf = conf;
    this._ssl_conf_allocated = false;
  }

  get_ssl_context(): SslContext {
    return this._ssl;
  }

  /** Stream for TLS; DTLSSocketWrapper makes it datagram. */
  protected ssl_transport(): number {
    return MBEDTLS_SSL_TRANSPORT_STREAM;
  }

  // ---- connect and handshake --------------------------------------------------------------------

  async connect(address: SocketAddress = new SocketAddress()): Promise<number> {
    if (!this._transport) return NSAPI_ERROR_NO_SOCKET;
    let ret = NSAPI_ERROR_OK;
    if (!this.is_handshake_started() && this._connect_transport) {
      ret = await this._transport.connect(address);
      if (ret !== NSAPI_ERROR_OK && ret !== NSAPI_ERROR_IS_CONNECTED) return ret;
    }
    return this.start_handshake(ret === NSAPI_ERROR_OK);
  }

  protected is_handshake_started(): boolean {
    return this._tls_initialized;
  }

  protected async start_handshake(first_call: boolean): Promise<number> {
    const transport = this._transport;
    if (!transport) return NSAPI_ERROR_NO_SOCKET;
    if (this._tls_initialized) return this.continue_handshake();

    tr_info(TRACE_GROUP, `Starting TLS handshake with ${this._hostname ?? '(no hostname)'}`);
    let ret = this._drbg.seed(DRBG_PERSONALIZATION);
    if (ret !== 0) {
      print_mbedtls_error('mbedtls_crt_drbg_init', ret);
      return NSAPI_ERROR_AUTH_FAILURE;
    }
    const conf = this.get_ssl_config();
    conf.setRng(this._drbg);
    const debugLevel = tlsSocketDebugLevel();
    if (debugLevel > 0) {
      conf.setVerify((depth, info, flags) => {
        tr_debug(TRACE_GROUP, `Verify requested for (Depth ${depth}):\n${info}`);
        tr_debug(TRACE_GROUP, flags ? `  ${x509VerifyInfo(flags)}` : '  This certificate has no flags');
      });
      conf.setDebug((level, file, line, message) =>
        tr_debug(TRACE_GROUP, `${file}:${line}: |${level}| ${message.trimEnd()}`),
      );
      mbedtlsDebugSetThreshold(debugLevel);
    }
    ret = this._ssl.setup(conf);
    if (ret !== 0) {
      print_mbedtls_error('mbedtls_ssl_setup', ret);
      return NSAPI_ERROR_AUTH_FAILURE;
    }
    if (this._hostname) this._ssl.setHostname(this._hostname);
    this.prepare_context();
    transport.set_blocking(false);
    transport.sigio(() => this.transport_event());
    this._ssl.setBio((data) => this.ssl_send(data), this.bio.recv);
    this._tls_initialized = true;

    ret = await this.continue_handshake();
    if (first_call) {
      if (ret === NSAPI_ERROR_ALREADY) return NSAPI_ERROR_IN_PROGRESS;
      if (ret === NSAPI_ERROR_IS_CONNECTED) return NSAPI_ERROR_OK;
    }
    return ret;
  }

  /** Hook for DTLSSocketWrapper (timer callbacks) once the context is set up. */
  protected prepare_context(): void {}

  private async continue_handshake(): Promise<number> {
    if (this._handshake_completed) return NSAPI_ERROR_IS_CONNECTED;
    if (!this._tls_initialized) return NSAPI_ERROR_NO_CONNECTION;
    if (this._handshake_error) return NSAPI_ERROR_AUTH_FAILURE;
    let ret: number;
    for (;;) {
      ret = this._ssl.handshake();
      if (isWant(ret) && this._timeout !== 0) {
        if (!(await this.wait_event())) break;
      } else {
        break;
      }
    }
    if (ret < 0) {
      if (isWant(ret)) return NSAPI_ERROR_ALREADY;
      print_mbedtls_error('mbedtls_ssl_handshake', ret);
      this._handshake_error = ret;
      return NSAPI_ERROR_AUTH_FAILURE;
    }
    tr_info(TRACE_GROUP, `TLS connection to ${this._hostname ?? '(no hostname)'} established`);
    const flags = this._ssl.getVerifyResult();
    if (flags !== 0)
      tr_error(TRACE_GROUP, `Server certificate verification flags: ${x509VerifyInfo(flags).trim()}`);
    else
      tr_info(
        TRACE_GROUP,
        `Certificate verification passed (${this._ssl.getVersion()}, ${this._ssl.getCiphersuite()})`,
      );
    this._handshake_completed = true;
    return NSAPI_ERROR_IS_CONNECTED;
  }

  /** The last handshake's raw Mbed TLS error (0 if none): for logs and tests. */
  get_handshake_error(): number {
    return this._handshake_error;
  }

  // ---- data ---------------------------------------------------------------------------------------

  async send(data: Uint8Array): Promise<number> {
    const ret = await this.data_loop(() => this._ssl.write(data));
    if (ret.nsapi !== undefined) return ret.nsapi;
    if (ret.mbedtls < 0) {
      print_mbedtls_error('mbedtls_ssl_write', ret.mbedtls);
      return NSAPI_ERROR_DEVICE_ERROR;
    }
    return ret.mbedtls;
  }

  async recv(buffer: Uint8Array): Promise<number> {
    const ret = await this.data_loop(() => this._ssl.read(buffer));
    if (ret.nsapi !== undefined) return ret.nsapi;
    if (ret.mbedtls === MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || (ret.mbedtls === 0 && buffer.length > 0)) {
      this._peer_closed = true;
      return 0;
    }
    if (ret.mbedtls < 0) {
      print_mbedtls_error('mbedtls_ssl_read', ret.mbedtls);
      return NSAPI_ERROR_DEVICE_ERROR;
    }
    return ret.mbedtls;
  }

  /**
   * The loop send and recv share (reference §3.6, §3.7): finish a pending handshake first (ALREADY →
   * WOULD_BLOCK; NO_CONNECTION or AUTH_FAILURE as they are), run the Mbed TLS call, and on WANT_* wait
   * for the event and retry unless non-blocking or the wait timed out. Returns an nsapi code, or the
   * raw Mbed TLS result for the caller to map.
   */
  private async data_loop(
    call: () => number,
  ): Promise<{ nsapi: number; mbedtls?: undefined } | { nsapi?: undefined; mbedtls: number }> {
    if (!this._transport) return { nsapi: NSAPI_ERROR_NO_SOCKET };
    for (;;) {
      if (!this._handshake_completed) {
        const hs = await this.continue_handshake();
        if (hs !== NSAPI_ERROR_IS_CONNECTED)
          return { nsapi: hs === NSAPI_ERROR_ALREADY ? NSAPI_ERROR_WOULD_BLOCK : hs };
      }
      const ret = call();
      if (!isWant(ret)) return { mbedtls: ret };
      if (this._timeout === 0 || !(await this.wait_event())) return { nsapi: NSAPI_ERROR_WOULD_BLOCK };
    }
  }

  sendto(_address: SocketAddress, data: Uint8Array): Promise<number> {
    return this.send(data);
  }

  async recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number> {
    if (address) this.getpeername(address);
    return this.recv(buffer);
  }

  sendto_control(address: SocketAddress, data: Uint8Array, _control: Uint8Array | null): Promise<number> {
    return this.sendto(address, data);
  }

  recvfrom_control(
    address: SocketAddress | null,
    buffer: Uint8Array,
    _control: Uint8Array | null,
  ): Promise<number> {
    return this.recvfrom(address, buffer);
  }

  // ---- close ---------------------------------------------------------------------------------------

  async close(): Promise<number> {
    const transport = this._transport;
    if (!transport) return NSAPI_ERROR_NO_SOCKET;
    tr_info(TRACE_GROUP, 'Closing TLS');
    let ret = 0;
    if (this._handshake_completed && !this._peer_closed) {
      transport.set_blocking(true);
      ret = await this.close_notify();
      if (ret) print_mbedtls_error('mbedtls_ssl_close_notify', ret);
    }
    this._handshake_completed = false;
    if (this._close_transport) {
      const closed = await transport.close();
      if (ret === 0) ret = closed;
    }
    this._transport = null;
    return ret;
  }

  /** close_notify through the async BIO: retried on each event until it is out (or fails). */
  private async close_notify(): Promise<number> {
    for (;;) {
      const ret = this._ssl.closeNotify();
      if (!isWant(ret)) return ret;
      const completions = this._send_completions;
      await this.wait_for_event(-1);
      // A DTLS read flushes pending output first: if a recv blocked meanwhile handed the alert's send
      // completion to Mbed TLS, the alert is out, and calling close_notify again would send another one
      // (and again, forever, while that recv keeps waking).
      if (this._send_completions !== completions) return 0;
    }
  }

  /** The BIO send as Mbed TLS sees it, counting completions handed over (see close_notify). */
  private ssl_send(data: Uint8Array): number {
    const ret = this.bio.send(data);
    if (ret !== MBEDTLS_ERR_SSL_WANT_WRITE) this._send_completions++;
    return ret;
  }

  /** The destructor: close if still open, then let go of every Mbed TLS object this socket owns. */
  async destroy(): Promise<void> {
    if (this._transport) await this.close();
    this._ssl.free();
    if (this._ssl_conf_allocated) this._ssl_conf?.free();
    this._ssl_conf = null;
    if (this._cacert_allocated) this._cacert = null;
    if (this._clicert_allocated) this._clicert = null;
  }

  // ---- pass-throughs ------------------------------------------------------------------------------

  bind(address: SocketAddress | number): Promise<number> {
    if (!this._transport) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    return this._transport.bind(address);
  }

  setsockopt(level: number, optname: number, optval: Uint8Array | null): Promise<number> {
    if (!this._transport) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    return this._transport.setsockopt(level, optname, optval);
  }

  getsockopt(level: number, optname: number, optval: Uint8Array): Promise<number> {
    if (!this._transport) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    return this._transport.getsockopt(level, optname, optval);
  }

  async accept(): Promise<{ socket: Socket | null; error: number }> {
    return { socket: null, error: NSAPI_ERROR_UNSUPPORTED };
  }

  listen(_backlog = 1): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  getpeername(address: SocketAddress): number {
    if (!this._handshake_completed || !this._transport) return NSAPI_ERROR_NO_CONNECTION;
    return this._transport.getpeername(address);
  }

  set_blocking(blocking: boolean): void {
    this.set_timeout(blocking ? -1 : 0);
  }

  /** Forwarded to the transport only before the handshake, when this wrapper connects it (quirk kept). */
  set_timeout(timeoutMs: number): void {
    this._timeout = timeoutMs >= 0 ? timeoutMs : -1;
    if (!this.is_handshake_started() && timeoutMs !== -1 && this._connect_transport) {
      this._transport?.set_timeout(timeoutMs);
    }
  }

  sigio(func: (() => void) | null): void {
    if (!this._transport) return;
    this._sigio = func;
    this._transport.sigio(() => this.transport_event());
  }

  // ---- events --------------------------------------------------------------------------------------

  private transport_event(): void {
    this.bio.onTransportEvent();
    this.event();
  }

  /** Wakes a waiting connect/send/recv and tells the user (sigio). */
  protected event(): void {
    if (this._event_waiters.size === 0) this._event_missed = true;
    for (const wake of [...this._event_waiters]) wake();
    this._sigio?.();
  }

  /**
   * One wait for the event flag. While a BIO operation is in flight the wait lasts until it settles:
   * on a device that transport call is a synchronous AT exchange, which the socket timeout does not cut
   * short (its own AT timeouts bound it). Waiting for the peer is bounded by the timeout, per wait.
   */
  private wait_event(): Promise<boolean> {
    return this.wait_for_event(this.bio.busy() ? -1 : this._timeout);
  }

  /**
   * Resolves true on the next event(), false when `timeoutMs` (negative: never) passes first. Every waiter
   * wakes: a blocking send and a blocking recv may wait at the same time, and an EventFlags bit would go to
   * one of them only, the other reading "timed out" (WOULD_BLOCK from a blocking call) or missing the
   * completion of its own transport call.
   */
  private wait_for_event(timeoutMs: number): Promise<boolean> {
    if (this._event_missed) {
      this._event_missed = false;
      return Promise.resolve(true);
    }
    if (timeoutMs === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: unknown;
      const wake = () => {
        this._event_waiters.delete(wake);
        if (timer !== undefined) this.clock.clearTimeout(timer);
        resolve(true);
      };
      this._event_waiters.add(wake);
      if (timeoutMs > 0) {
        timer = this.clock.setTimeout(() => {
          this._event_waiters.delete(wake);
          resolve(false);
        }, timeoutMs);
      }
    });
  }
}
