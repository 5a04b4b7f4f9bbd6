// SslContext: one Mbed TLS connection (mbedtls_ssl_context). Mbed TLS calls the BIO and timer callbacks
// synchronously from inside handshake/read/write/closeNotify/sessionReset; they must answer at once
// (bytes, or WANT_READ / WANT_WRITE). If a callback throws, or a BIO callback answers something that is
// not a byte count / code / Uint8Array within maxLength, Mbed TLS gets MBEDTLS_ERR_SSL_INTERNAL_ERROR
// from the BIO and the exception (a TypeError/RangeError for a bad answer) is rethrown from the
// SslContext method once Mbed TLS has returned. Methods that change Mbed TLS state throw an Error when
// called from inside such a callback (Mbed TLS is not re-entrant).

import {
  type BioRecv,
  type BioSend,
  loadMbedtlsAddon,
  type NativeSslContext,
  type PeerCertificate,
  type TimerGetDelay,
  type TimerSetDelay,
} from './addon.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';
import { SslConfig } from './ssl-config.ts';
import { SslSession } from './ssl-session.ts';

export class SslContext {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativeSslContext = new (loadMbedtlsAddon().SslContext)();

  /** mbedtls_ssl_setup → raw code; BAD_INPUT_DATA when already set up or the config has no defaults. */
  setup(config: SslConfig): number {
    if (!(config instanceof SslConfig)) throw new TypeError('config must be an SslConfig');
    return attributedTo(this.heapOwner, () => this.native.setup(config.native));
  }

  /** mbedtls_ssl_set_hostname → raw code: SNI and the name the peer certificate must match. */
  setHostname(hostname: string | null): number {
    return attributedTo(this.heapOwner, () => this.native.setHostname(hostname));
  }

  /** mbedtls_ssl_set_bio with synchronous callbacks (no recv-with-timeout, as in TLSSocketWrapper). */
  setBio(send: BioSend | null, recv: BioRecv | null): void {
    this.native.setBio(send, recv);
  }

  /** mbedtls_ssl_set_timer_cb (DTLS retransmission and read timeouts); both or neither. */
  setTimer(setDelay: TimerSetDelay | null, getDelay: TimerGetDelay | null): void {
    this.native.setTimer(setDelay, getDelay);
  }

  /** mbedtls_ssl_handshake → 0 or a raw code (WANT_READ / WANT_WRITE: call again later). */
  handshake(): number {
    return attributedTo(this.heapOwner, () => this.native.handshake());
  }

  /** mbedtls_ssl_read into `buffer` → bytes read, or a raw code (PEER_CLOSE_NOTIFY, or 0 at EOF). */
  read(buffer: Uint8Array): number {
    return attributedTo(this.heapOwner, () => this.native.read(buffer));
  }

  /** mbedtls_ssl_write → bytes written (one record at most), or a raw code; after WANT_*, retry the same data. */
  write(data: Uint8Array): number {
    return attributedTo(this.heapOwner, () => this.native.write(data));
  }

  /** mbedtls_ssl_close_notify → raw code. */
  closeNotify(): number {
    return attributedTo(this.heapOwner, () => this.native.closeNotify());
  }

  /** mbedtls_ssl_session_reset → raw code (e.g. after HELLO_VERIFY_REQUIRED on a DTLS server). */
  sessionReset(): number {
    return attributedTo(this.heapOwner, () => this.native.sessionReset());
  }

  /** mbedtls_ssl_set_client_transport_id → raw code (DTLS server: the client's address for its cookie). */
  setClientTransportId(id: Uint8Array): number {
    return this.native.setClientTransportId(id);
  }

  /** mbedtls_ssl_get_verify_result: MBEDTLS_X509_BADCERT_* flags, 0 = verified, 0xFFFFFFFF = no result. */
  getVerifyResult(): number {
    return this.native.getVerifyResult();
  }

  /** mbedtls_ssl_get_version, e.g. "TLSv1.2", "DTLSv1.2" ("unknown" before setup). */
  getVersion(): string {
    return this.native.getVersion();
  }

  /** mbedtls_ssl_get_ciphersuite, e.g. "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"; null without a session. */
  getCiphersuite(): string | null {
    return this.native.getCiphersuite();
  }

  /** mbedtls_ssl_get_bytes_avail: decrypted bytes waiting to be read. */
  getBytesAvail(): number {
    return this.native.getBytesAvail();
  }

  /** mbedtls_ssl_get_max_out_record_payload: the largest write() that fits one record, or a raw code. */
  getMaxOutRecordPayload(): number {
    return this.native.getMaxOutRecordPayload();
  }

  /** mbedtls_ssl_check_pending: 1 when received data awaits processing (e.g. a second DTLS record). */
  checkPending(): number {
    return this.native.checkPending();
  }

  /** The peer certificate (mbedtls_ssl_get_peer_cert), or null. */
  getPeerCert(): PeerCertificate | null {
    return this.native.getPeerCert();
  }

  /** mbedtls_ssl_get_session → raw code: copies this connection's session into `session` (client, after the handshake). */
  getSession(session: SslSession): number {
    if (!(session instanceof SslSession)) throw new TypeError('session must be an SslSession');
    return attributedTo(session.heapOwner, () => this.native.getSession(session.native));
  }

  /** True when the last handshake resumed a session (the server accepted the ticket or session ID). */
  isResumed(): boolean {
    return this.native.isResumed();
  }

  /** mbedtls_ssl_set_session → raw code: the next handshake offers `session` (after setup, before the handshake). */
  setSession(session: SslSession): number {
    if (!(session instanceof SslSession)) throw new TypeError('session must be an SslSession');
    return attributedTo(this.heapOwner, () => this.native.setSession(session.native));
  }

  /**
   * mbedtls_ssl_free, then a fresh context (setup needed again); lets go of the config and callbacks.
   * Call it when the socket is done (TLSSocketWrapper's destructor work).
   */
  free(): void {
    attributedTo(this.heapOwner, () => this.native.free());
  }
}
