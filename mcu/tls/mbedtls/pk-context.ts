// PkContext: an Mbed TLS private key (mbedtls_pk_context), the key half of an own certificate.
import { loadMbedtlsAddon, type NativePkContext } from './addon.ts';

export class PkContext {
  readonly native: NativePkContext = new (loadMbedtlsAddon().PkContext)();

  /**
   * mbedtls_pk_parse_key → raw code, after re-initialising the context (a failed parse leaves no key).
   * PEM needs its NUL terminator counted, as certificates do.
   */
  parseKey(bytes: Uint8Array, password: Uint8Array | string | null = null): number {
    return this.native.parseKey(bytes, password);
  }

  /** "RSA", "EC", … or "invalid PK" when no key is loaded. */
  name(): string {
    return this.native.name();
  }
}
