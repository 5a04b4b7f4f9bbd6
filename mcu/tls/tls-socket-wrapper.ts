// TLSSocketWrapper: TLS on the MCU with the real Mbed TLS library, over any Socket as transport, after
// Mbed OS's connectivity/netsocket/source/TLSSocketWrapper.cpp. The handshake state machine, the blocking /
// timeout / non-blocking model and the return codes are Mbed OS's; the BIO is completion-based
// (completion-bio.ts; docs/architecture.md, "The completion-based BIO"), so nothing blocks the event loop.
//
// States (the `state` getter, derived from the fields the code decides by):
//   idle        a transport, no handshake started yet
//   handshaking the handshake started and has not finished
//   connected   the handshake completed
//   failed      the handshake failed; it stays failed (docs/deviations.md, "Sticky AUTH_FAILURE")
//   in flight   "transport call in flight": a transport call the BIO started has not returned, during the
//               handshake or on a connected session (the state underneath)
//   closing     close() runs: close_notify, then the transport's close
//   closed      no transport: after close(), or never given one
//
// What each public call does in each state (codes are NSAPI_ERROR_*; letters refer to the notes below).
// "Waits" applies to blocking calls only: a wait for the peer lasts at most the socket timeout, each wait
// anew; a transport call in flight is waited for as long as it takes.
//
// | call           | idle            | handshaking     | connected       | failed          |
// |----------------|-----------------|-----------------|-----------------|-----------------|
// | connect        | starts it (a)   | goes on (b)     | IS_CONNECTED    | AUTH_FAILURE    |
// | send, recv     | NO_CONNECTION   | goes on (c)     | data (d)        | AUTH_FAILURE    |
// | close          | no notify (e)   | no notify (e)   | close_notify (f)| no notify (e)   |
// | set_timeout,   | stored; to the  | stored          | stored          | stored          |
// | set_blocking   | transport (g)   |                 |                 |                 |
// | sigio          | registered (h)  | registered (h)  | registered (h)  | registered (h)  |
// | getpeername    | NO_CONNECTION   | NO_CONNECTION   | the peer: OK    | NO_CONNECTION   |
// | destroy        | close, free     | close, free     | close, free     | close, free     |
//
// | call           | in flight               | closing                   | closed        |
// |----------------|-------------------------|---------------------------|---------------|
// | connect        | waits for the call (i)  | after the close: NO_SOCKET| NO_SOCKET     |
// | send, recv     | waits for the call (i)  | after the close: NO_SOCKET| NO_SOCKET     |
// | close          | as underneath (j)       | after the close: NO_SOCKET| NO_SOCKET     |
// | set_timeout,   | stored; the call in     | stored                    | stored        |
// | set_blocking   | flight is not cut short |                           |               |
// | sigio          | registered (h)          | registered (h)            | ignored       |
// | getpeername    | as underneath           | NO_CONNECTION             | NO_CONNECTION |
// | destroy        | close, free             | after the close: free     | free          |
//
// (a) The CONNECT modes connect the transport first; any result but OK / IS_CONNECTED comes back as it is.
//     Then the handshake: OK when it completes within this call, IN_PROGRESS while it is pending
//     (non-blocking, or the timeout passed), AUTH_FAILURE when it fails. After a transport IS_CONNECTED the
//     codes are (b)'s (TLSSocketWrapper::start_handshake(), first_call).
// (b) IS_CONNECTED once it completes, ALREADY while pending, AUTH_FAILURE when it fails.
// (c) WOULD_BLOCK while the handshake is pending, AUTH_FAILURE when it fails; once it completes, (d).
// (d) send: the bytes taken (one record at most); recv: the bytes read, 0 once the peer closed (its
//     close_notify or the end of the stream); WOULD_BLOCK when nothing moved in time; any other Mbed TLS
//     error is DEVICE_ERROR.
// (e) No close_notify. The CLOSE modes close the transport and return its result; otherwise OK.
// (f) close_notify (not after recv returned 0: docs/deviations.md), waited for without a timeout, then (e);
//     a failed close_notify's raw Mbed TLS code wins over the transport's result.
// (g) Mbed OS's quirk: forwarded only before the handshake, in the CONNECT modes, and never -1.
// (h) The callback runs on every transport sigio, every transport call that settles, every DTLS timer expiry.
// (i) Then as the state underneath. Non-blocking: what the state underneath answers while pending
//     (IN_PROGRESS / ALREADY, WOULD_BLOCK), or its final answer (connected: connect IS_CONNECTED).
// (j) close_notify flushes a record whose send is in flight first (mbedtls_ssl_close_notify()).
// A call already waiting when close() starts ends once the transport is gone, with the error Mbed TLS gets
// then (the BIO's NO_SOCKET: send/recv DEVICE_ERROR, connect AUTH_FAILURE), as in Mbed OS.

import { type Clock, deviceClock } from '../../shared/clock.ts';
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
import type { SslSession } from './mbedtls/ssl-session.ts';
import { X509Crt } from './mbedtls/x509-crt.ts';
import { cStringOf, type PemOrDer } from './pem-length.ts';
import { countHandshake } from './tls-cost-tally.ts';
import { TlsHeapAccount, type TlsHeapStats } from './tls-heap-account.ts';
import { installKeyLog } from './tls-key-log.ts';

const TRACE_GROUP = 'TLSW';
/** "mbed TLS client" with its NUL: 16 bytes, as Mbed OS seeds the DRBG. */
const DRBG_PERSONALIZATION = new Uint8Array([...Buffer.from('mbed TLS client'), 0]);

export enum control_transport {
  TRANSPORT_KEEP = 0,
  TRANSPORT_CONNECT_AND_CLOSE = 1,
  TRANSPORT_CONNECT = 2,
  TRANSPORT_CLOSE = 3,
}

/** The states of the table above. */
export enum TLSSocketWrapperState {
  IDLE = 'idle',
  HANDSHAKING = 'handshaking',
  CONNECTED = 'connected',
  FAILED = 'failed',
  TRANSPORT_CALL_IN_FLIGHT = 'transport call in flight',
  CLOSING = 'closing',
  CLOSED = 'closed',
}

const isWant = (ret: number) => ret === MBEDTLS_ERR_SSL_WANT_READ || ret === MBEDTLS_ERR_SSL_WANT_WRITE;

export function print_mbedtls_error(name: string, err: number): void {
  tr_error(TRACE_GROUP, `${name}() failed: -0x${(-err).toString(16)} (${err}): ${mbedtlsStrerror(err)}`);
}

export class TLSSocketWrapper implements Socket {
  protected _transport: Socket | null;
  protected _timeout = -1;
  private _sigio: (() => void) | null = null;
  private _cacert: X509Crt | null = null;
  private _cacert_allocated = false;
  private _clicert: X509Crt | null = null;
  private _clicert_allocated = false;
  private _ssl_conf: SslConfig | null = null;
  private _ssl_conf_allocated = false;
  /** This socket's share of Mbed TLS's heap: every Mbed TLS object the wrapper makes is counted here. */
  private readonly _heap = new TlsHeapAccount();
  private _pkctx = this._heap.adopt(new PkContext());
  private readonly _drbg = this._heap.adopt(new CtrDrbg());
  protected readonly _ssl = this._heap.adopt(new SslContext());
  /** A session saved from an earlier connection, offered when the handshake starts (set_session). */
  private _session: SslSession | null = null;
  private _tls_initialized = false;
  private _handshake_completed = false;
  /** the raw Mbed TLS code of a failed handshake: later attempts keep failing (docs/deviations.md) */
  private _handshake_error = 0;
  private readonly _connect_transport: boolean;
  private readonly _close_transport: boolean;
  private _hostname: string | null = null;
  /** recv saw the peer's close_notify or end of stream (docs/deviations.md: close then skips close_notify) */
  private _peer_closed = false;
  /** The close() that runs (state closing); null before and after. */
  private _closing: Promise<number> | null = null;
  protected readonly bio: CompletionBio;

  constructor(
    transport: Socket | null,
    hostname: string | null = null,
    control: control_transport = control_transport.TRANSPORT_CONNECT_AND_CLOSE,
    /** the clock every wait goes through (real time unless a test or replay brings its own) */
    protected readonly clock: Clock = deviceClock,
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
      clock,
      () => this.notify_sigio(),
    );
    if (hostname) this.set_hostname(hostname);
  }

  /** Where the wrapper is (the table at the top of this file). */
  get state(): TLSSocketWrapperState {
    if (!this._transport) return TLSSocketWrapperState.CLOSED;
    if (this._closing) return TLSSocketWrapperState.CLOSING;
    if (this._handshake_error) return TLSSocketWrapperState.FAILED;
    if (this.bio.in_flight()) return TLSSocketWrapperState.TRANSPORT_CALL_IN_FLIGHT;
    if (this._handshake_completed) return TLSSocketWrapperState.CONNECTED;
    if (this._tls_initialized) return TLSSocketWrapperState.HANDSHAKING;
    return TLSSocketWrapperState.IDLE;
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
    const crt = this._heap.adopt(new X509Crt());
    const ret = crt.parse(bytes);
    if (ret !== 0) {
      if (ret < 0) print_mbedtls_error('mbedtls_x509_crt_parse', ret);
      crt.free();
      return NSAPI_ERROR_PARAMETER;
    }
    // The chain this socket parsed before goes (a config still using it keeps it until it is freed).
    if (this._cacert_allocated) this._cacert?.free();
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
    const crt = this._heap.adopt(new X509Crt());
    let ret = crt.parse(certBytes);
    if (ret !== 0) {
      if (ret < 0) print_mbedtls_error('mbedtls_x509_crt_parse', ret);
      crt.free();
      return NSAPI_ERROR_PARAMETER;
    }
    // Parsed into a fresh context so a bad key leaves the previous one in place (docs/deviations.md).
    const pk = this._heap.adopt(new PkContext());
    ret = pk.parseKey(keyBytes);
    if (ret !== 0) {
      print_mbedtls_error('mbedtls_pk_parse_key', ret);
      crt.free();
      pk.free();
      return NSAPI_ERROR_PARAMETER;
    }
    this._pkctx.free();
    this._pkctx = pk;
    if (this._clicert_allocated) this._clicert?.free();
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
      const conf = this._heap.adopt(new SslConfig());
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
    const closed = await this.closed_code();
    if (closed !== null) return closed;
    const transport = this._transport as Socket;
    let ret = NSAPI_ERROR_OK;
    if (!this.is_handshake_started() && this._connect_transport) {
      ret = await transport.connect(address);
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
    installKeyLog(conf);
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
    this.offer_session();
    this.prepare_context();
    transport.set_blocking(false);
    transport.sigio(() => this.transport_event());
    this._ssl.setBio(this.bio.send, this.bio.recv);
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
    const ret = await this.until_settled(() => this._ssl.handshake());
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
    this._heap.handshakeCompleted();
    countHandshake(this._ssl.isResumed());
    if (this._session) {
      tr_info(TRACE_GROUP, this._ssl.isResumed() ? 'Session resumed' : 'Session not resumed: full handshake');
    }
    return NSAPI_ERROR_IS_CONNECTED;
  }

  // ---- session resumption (beyond Mbed OS's TLSSocketWrapper; docs/deviations.md) ---------------

  /**
   * Offers `session` (saved with get_session from an earlier connection) when the handshake starts; the
   * server resumes it by ticket or session ID, or runs a full handshake when it does not know it (a
   * different server, a forgotten or corrupted ticket): no error either way. OK, or PARAMETER after the
   * handshake has started. null stops offering one.
   */
  set_session(session: SslSession | null): number {
    if (this._tls_initialized) return NSAPI_ERROR_PARAMETER;
    this._session = session;
    return NSAPI_ERROR_OK;
  }

  /**
   * Saves this connection's session into `session` (mbedtls_ssl_get_session), to offer on a later
   * connect: OK; NO_CONNECTION before the handshake completed; DEVICE_ERROR if Mbed TLS refuses.
   */
  get_session(session: SslSession): number {
    if (!this._handshake_completed) return NSAPI_ERROR_NO_CONNECTION;
    const ret = this._ssl.getSession(session);
    if (ret !== 0) {
      print_mbedtls_error('mbedtls_ssl_get_session', ret);
      return NSAPI_ERROR_DEVICE_ERROR;
    }
    return NSAPI_ERROR_OK;
  }

  /** True once a handshake completed by resuming the session set_session offered. */
  is_session_resumed(): boolean {
    return this._handshake_completed && this._ssl.isResumed();
  }

  private offer_session(): void {
    if (!this._session || this._session.isEmpty()) return;
    const ret = this._ssl.setSession(this._session);
    // A session Mbed TLS will not take is no error for the app: the handshake just goes full.
    if (ret !== 0) print_mbedtls_error('mbedtls_ssl_set_session', ret);
  }

  /** What this socket holds of Mbed TLS's heap (docs/costs.md): current, peak, after the handshake. */
  get_heap_stats(): TlsHeapStats {
    return this._heap.stats();
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
   * The loop send and recv share (TLSSocketWrapper::send() and recv()): finish a pending handshake first
   * (ALREADY → WOULD_BLOCK; NO_CONNECTION or AUTH_FAILURE as they are), then run the Mbed TLS call until it
   * settles. Returns an nsapi code, or the raw Mbed TLS result for the caller to map.
   */
  private async data_loop(
    call: () => number,
  ): Promise<{ nsapi: number; mbedtls?: undefined } | { nsapi?: undefined; mbedtls: number }> {
    const closed = await this.closed_code();
    if (closed !== null) return { nsapi: closed };
    if (!this._handshake_completed) {
      const hs = await this.continue_handshake();
      if (hs !== NSAPI_ERROR_IS_CONNECTED)
        return { nsapi: hs === NSAPI_ERROR_ALREADY ? NSAPI_ERROR_WOULD_BLOCK : hs };
    }
    const ret = await this.until_settled(call);
    return isWant(ret) ? { nsapi: NSAPI_ERROR_WOULD_BLOCK } : { mbedtls: ret };
  }

  /**
   * Runs an Mbed TLS call until it answers something but WANT_*, waiting after each WANT_* (unless
   * non-blocking) for what the BIO names. The one way a waiting connect/send/recv is woken: the transport
   * call in flight settles (waited for as long as it takes: on a device it is a synchronous AT exchange the
   * socket timeout does not cut short), or, with none in flight, the transport's next sigio or the DTLS
   * timer (at most the socket timeout, each wait anew). Returns WANT_* when that timeout passed.
   */
  private async until_settled(call: () => number): Promise<number> {
    for (;;) {
      const seen = this.bio.signals;
      const ret = call();
      if (!isWant(ret) || this._timeout === 0) return ret;
      const woken = await this.bio.wait_for(ret, seen).until(this._timeout);
      // Woken while close() runs: go on once it has finished, as a thread woken by Mbed OS's close would.
      if (this._closing) await this._closing;
      if (!woken) return ret;
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
    const closed = await this.closed_code();
    if (closed !== null) return closed;
    this._closing = this.close_session(this._transport as Socket);
    try {
      return await this._closing;
    } finally {
      this._closing = null;
    }
  }

  /** TLSSocketWrapper::close(): close_notify after a completed handshake, then the transport. */
  private async close_session(transport: Socket): Promise<number> {
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

  /** mbedtls_ssl_close_notify until the alert's send request has settled, without a timeout. */
  private async close_notify(): Promise<number> {
    for (;;) {
      const seen = this.bio.signals;
      const ret = this._ssl.closeNotify();
      if (!isWant(ret)) return ret;
      const wait = this.bio.wait_for(ret, seen);
      await wait.until(-1);
      // Another call's Mbed TLS call (a DTLS read flushes pending output first) handed the result of the
      // alert's send to Mbed TLS: the alert is out, and close_notify again would send a second one.
      if (wait.request?.handed_over) return 0;
    }
  }

  /**
   * NO_SOCKET once closed, null while open. A call made while close() runs waits for it (the table at the
   * top: "after the close").
   */
  private async closed_code(): Promise<number | null> {
    if (this._closing) await this._closing;
    return this._transport ? null : NSAPI_ERROR_NO_SOCKET;
  }

  /** The destructor: close if still open, then let go of every Mbed TLS object this socket owns. */
  async destroy(): Promise<void> {
    if (this._closing) await this._closing;
    if (this._transport) await this.close();
    // As the C++ destructor: the context, the key, and the config and certificates this socket made.
    this._ssl.free();
    if (this._ssl_conf_allocated) this._ssl_conf?.free();
    this._ssl_conf = null;
    if (this._cacert_allocated) this._cacert?.free();
    this._cacert = null;
    if (this._clicert_allocated) this._clicert?.free();
    this._clicert = null;
    this._pkctx.free();
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
    if (!this._handshake_completed || !this._transport || this._closing) return NSAPI_ERROR_NO_CONNECTION;
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

  /** The transport's sigio: the BIO's signal for waiting calls, and the user's callback. */
  private transport_event(): void {
    this.bio.on_transport_event();
    this.notify_sigio();
  }

  /** The user's sigio (TLSSocketWrapper::event() calls it after setting the event flag). */
  protected notify_sigio(): void {
    this._sigio?.();
  }
}
