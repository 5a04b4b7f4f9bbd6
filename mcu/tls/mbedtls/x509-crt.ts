// X509Crt: an Mbed TLS certificate chain (mbedtls_x509_crt), used as CA chain or own certificate.

import { loadMbedtlsAddon, type NativeX509Crt } from './addon.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';

export class X509Crt {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativeX509Crt = new (loadMbedtlsAddon().X509Crt)();

  /**
   * mbedtls_x509_crt_parse → 0, a positive number of certificates of a PEM bundle that failed, or a
   * negative code. PEM is recognised only when `bytes` ends with the NUL terminator (see cString); other
   * bytes are parsed as one DER certificate. Certificates are appended to the chain.
   */
  parse(bytes: Uint8Array): number {
    return attributedTo(this.heapOwner, () => this.native.parse(bytes));
  }

  /** Certificates in the chain. */
  count(): number {
    return this.native.count();
  }

  /** mbedtls_x509_crt_info of every certificate in the chain. */
  info(): string {
    return this.native.info();
  }

  /**
   * Frees the chain (mbedtls_x509_crt_free) and leaves this object empty; a config that still uses the
   * old chain keeps it until the config is freed. TLSSocketWrapper's destructor work calls it.
   */
  free(): void {
    attributedTo(this.heapOwner, () => this.native.free());
  }
}
