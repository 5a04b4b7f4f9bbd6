// PkContext: an Mbed TLS private key (mbedtls_pk_context), the key half of an own certificate.

import { loadMbedtlsAddon, type NativePkContext } from './addon.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';

export class PkContext {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativePkContext = new (loadMbedtlsAddon().PkContext)();

  /**
   * mbedtls_pk_parse_key → raw code, after re-initialising the context (a failed parse leaves no key).
   * PEM needs its NUL terminator counted, as certificates do.
   */
  parseKey(bytes: Uint8Array, password: Uint8Array | string | null = null): number {
    return attributedTo(this.heapOwner, () => this.native.parseKey(bytes, password));
  }

  /** "RSA", "EC", … or "invalid PK" when no key is loaded. */
  name(): string {
    return this.native.name();
  }

  /** Frees the key (mbedtls_pk_free), leaving none; a config that still uses it keeps it until freed. */
  free(): void {
    attributedTo(this.heapOwner, () => this.native.free());
  }
}
