// CtrDrbg: Mbed TLS's CTR_DRBG with its own entropy context, the RNG of an SslConfig (and of its DTLS
// cookies). TLSSocketWrapper seeds it with "mbed TLS client" (16 bytes, NUL included).

import { loadMbedtlsAddon, type NativeCtrDrbg } from './addon.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';

export class CtrDrbg {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativeCtrDrbg = new (loadMbedtlsAddon().CtrDrbg)();

  /** mbedtls_ctr_drbg_seed from fresh entropy → raw code. Re-seeding starts over. */
  seed(personalization: Uint8Array | null = null): number {
    return attributedTo(this.heapOwner, () => this.native.seed(personalization));
  }

  /** True after a successful seed(); an unseeded DRBG makes every draw fail with an error code. */
  isSeeded(): boolean {
    return this.native.isSeeded();
  }
}
