// SslSession: a saved TLS session (mbedtls_ssl_session) that a client offers again to resume it: by the
// server's session ticket when it issued one (RFC 5077), by session ID otherwise.
import { loadMbedtlsAddon, type NativeSslSession } from './addon.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';

export class SslSession {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativeSslSession = new (loadMbedtlsAddon().SslSession)();

  /** True when the saved session carries a ticket the next handshake will offer. */
  hasTicket(): boolean {
    return this.native.hasTicket();
  }

  /** The session ID's length; 0 when the server gave none (a ticket then resumes alone). */
  idLength(): number {
    return this.native.idLength();
  }

  /** The IANA id of the session's ciphersuite; 0 when nothing is saved. */
  ciphersuite(): number {
    return this.native.ciphersuite();
  }

  /** True when a session is saved. */
  isEmpty(): boolean {
    return this.ciphersuite() === 0;
  }

  /** mbedtls_ssl_session_free: forgets the session (its secret, ID, ticket and peer certificate). */
  free(): void {
    attributedTo(this.heapOwner, () => this.native.free());
  }
}
