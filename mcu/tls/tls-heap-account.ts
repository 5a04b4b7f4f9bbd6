// One socket's share of Mbed TLS's heap (mcu/tls/mbedtls/heap.ts): the wrapper gives every Mbed TLS object
// it creates this account's owner id, so the figures are exactly what Mbed TLS allocated for this socket.
// Objects the application brings (a shared SslConfig, its own X509Crt) are counted where they were made.
import { mbedtlsHeapStats, newHeapOwner } from './mbedtls/heap.ts';

/** What a TLS socket holds of Mbed TLS's heap; all in bytes of requested calloc sizes. */
export interface TlsHeapStats {
  /** the owner id the socket's blocks are counted under */
  owner: number;
  /** held now (0 after destroy) */
  currentBytes: number;
  /** the most held at once, over the socket's life */
  peakBytes: number;
  /** held once the handshake completed (the session, transform, record buffers, peer certificate) */
  afterHandshakeBytes: number | null;
  allocations: number;
  frees: number;
}

export class TlsHeapAccount {
  readonly owner = newHeapOwner();
  private afterHandshake: number | null = null;

  /** Counts `objects`' future Mbed TLS allocations against this socket. */
  adopt<T extends { heapOwner: number }>(object: T): T {
    object.heapOwner = this.owner;
    return object;
  }

  /** The handshake completed: its transient state (key exchange, the chain being verified) is gone. */
  handshakeCompleted(): void {
    this.afterHandshake = mbedtlsHeapStats(this.owner).currentBytes;
  }

  stats(): TlsHeapStats {
    const { currentBytes, peakBytes, allocations, frees } = mbedtlsHeapStats(this.owner);
    return {
      owner: this.owner,
      currentBytes,
      peakBytes,
      afterHandshakeBytes: this.afterHandshake,
      allocations,
      frees,
    };
  }
}
