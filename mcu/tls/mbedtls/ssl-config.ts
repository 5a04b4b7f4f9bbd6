// SslConfig: an Mbed TLS SSL configuration (mbedtls_ssl_config). One config may serve several
// SslContexts (TLSSocketWrapper::set_ssl_config sharing); it stays alive, with the certificates, keys and
// DRBGs set on it, while any of them uses it.

import {
  type DebugCallback,
  type ExportKeysCallback,
  loadMbedtlsAddon,
  type NativeSslConfig,
  type VerifyCallback,
} from './addon.ts';
import { MBEDTLS_SSL_PRESET_DEFAULT } from './constants.ts';
import { CtrDrbg } from './ctr-drbg.ts';
import { attributedTo, UNATTRIBUTED_HEAP_OWNER } from './heap.ts';
import { PkContext } from './pk-context.ts';
import { X509Crt } from './x509-crt.ts';

function expectInstance<T>(value: unknown, type: abstract new (...args: never[]) => T, what: string): T {
  if (!(value instanceof type)) throw new TypeError(`${what} must be a ${type.name}`);
  return value;
}

export class SslConfig {
  /** the owner its Mbed TLS allocations are counted against (mcu/tls/mbedtls/heap.ts) */
  heapOwner = UNATTRIBUTED_HEAP_OWNER;
  readonly native: NativeSslConfig = new (loadMbedtlsAddon().SslConfig)();

  /** mbedtls_ssl_config_defaults → raw code. Needed before an SslContext can be set up with it. */
  defaults(endpoint: number, transport: number, preset: number = MBEDTLS_SSL_PRESET_DEFAULT): number {
    return attributedTo(this.heapOwner, () => this.native.defaults(endpoint, transport, preset));
  }

  /** mbedtls_ssl_conf_endpoint (MBEDTLS_SSL_IS_CLIENT / _IS_SERVER). */
  setEndpoint(endpoint: number): void {
    this.native.setEndpoint(endpoint);
  }

  /** mbedtls_ssl_conf_transport (MBEDTLS_SSL_TRANSPORT_STREAM / _DATAGRAM). */
  setTransport(transport: number): void {
    this.native.setTransport(transport);
  }

  /** mbedtls_ssl_conf_authmode (MBEDTLS_SSL_VERIFY_NONE 0 / _OPTIONAL 1 / _REQUIRED 2). */
  setAuthmode(authmode: number): void {
    this.native.setAuthmode(authmode);
  }

  /** mbedtls_ssl_conf_ca_chain (no CRL); null removes the trusted CAs. */
  setCaChain(chain: X509Crt | null): void {
    this.native.setCaChain(chain === null ? null : expectInstance(chain, X509Crt, 'caChain').native);
  }

  /** mbedtls_ssl_conf_own_cert → raw code; each call adds a certificate/key pair. */
  setOwnCert(crt: X509Crt, key: PkContext): number {
    const nativeCrt = expectInstance(crt, X509Crt, 'crt').native;
    const nativeKey = expectInstance(key, PkContext, 'key').native;
    return attributedTo(this.heapOwner, () => this.native.setOwnCert(nativeCrt, nativeKey));
  }

  /**
   * mbedtls_ssl_conf_ciphersuites with ids or Mbed TLS names, in preference order → 0, or
   * MBEDTLS_ERR_SSL_BAD_INPUT_DATA (nothing changed) when a name is unknown to this build.
   */
  setCiphersuites(suites: ReadonlyArray<number | string>): number {
    return attributedTo(this.heapOwner, () => this.native.setCiphersuites(suites));
  }

  /** mbedtls_ssl_conf_min_version, e.g. (3, 3) = TLS 1.2 / DTLS 1.2. */
  setMinVersion(major: number, minor: number): void {
    this.native.setMinVersion(major, minor);
  }

  /** mbedtls_ssl_conf_max_version. */
  setMaxVersion(major: number, minor: number): void {
    this.native.setMaxVersion(major, minor);
  }

  /** mbedtls_ssl_conf_rng with a CtrDrbg; null (the initial state) makes every draw fail with NO_RNG. */
  setRng(rng: CtrDrbg | null): void {
    this.native.setRng(rng === null ? null : expectInstance(rng, CtrDrbg, 'rng').native);
  }

  /** mbedtls_ssl_conf_read_timeout in ms (0 = none); with DTLS timers, reads then end in TIMEOUT. */
  setReadTimeout(ms: number): void {
    this.native.setReadTimeout(ms);
  }

  /** mbedtls_ssl_conf_handshake_timeout: DTLS retransmission doubling from minMs until maxMs is exceeded. */
  setHandshakeTimeout(minMs: number, maxMs: number): void {
    this.native.setHandshakeTimeout(minMs, maxMs);
  }

  /** mbedtls_ssl_conf_max_frag_len (MBEDTLS_SSL_MAX_FRAG_LEN_*) → raw code. */
  setMaxFragLen(code: number): number {
    return this.native.setMaxFragLen(code);
  }

  /** mbedtls_ssl_conf_dbg: lines up to the process-wide threshold (mbedtlsDebugSetThreshold); null = none. */
  setDebug(callback: DebugCallback | null): void {
    this.native.setDebug(callback);
  }

  /** mbedtls_ssl_conf_verify, observing only: each peer certificate with its depth and flags. */
  setVerify(callback: VerifyCallback | null): void {
    this.native.setVerify(callback);
  }

  /**
   * mbedtls_ssl_conf_export_keys_ext_cb: the master secret and both randoms of each handshake (what an
   * NSS key log line needs); null = none.
   */
  setExportKeys(callback: ExportKeysCallback | null): void {
    this.native.setExportKeys(callback);
  }

  /**
   * Server role, DTLS: HelloVerifyRequest cookies keyed from `rng` (mbedtls_ssl_cookie_setup +
   * mbedtls_ssl_conf_dtls_cookies) → raw code; null turns cookies off.
   */
  setDtlsCookies(rng: CtrDrbg | null): number {
    return attributedTo(this.heapOwner, () =>
      this.native.setDtlsCookies(rng === null ? null : expectInstance(rng, CtrDrbg, 'rng').native),
    );
  }

  /** mbedtls_ssl_conf_dtls_anti_replay. */
  setDtlsAntiReplay(enabled: boolean): void {
    this.native.setDtlsAntiReplay(enabled);
  }

  /** Server: keep negotiated sessions in an mbedtls_ssl_cache and resume clients offering their ID. */
  setSessionCache(maxEntries = 256, timeoutSeconds = 3600): void {
    this.native.setSessionCache(maxEntries, timeoutSeconds);
  }

  /**
   * Lets go of this config (and its callbacks, certificates, keys, DRBGs) and starts over empty, defaults
   * needed again; contexts set up with it keep the old one until they are freed. Call it where C code
   * would mbedtls_ssl_config_free: callbacks that close over the owner otherwise keep both alive forever.
   */
  free(): void {
    attributedTo(this.heapOwner, () => this.native.free());
  }
}
