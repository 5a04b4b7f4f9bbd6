// The binding's free functions, plus the C-string helper the PEM length rule needs.
import { loadMbedtlsAddon } from './addon.ts';

/** Mbed TLS's version string, e.g. "mbed TLS 2.28.3". */
export function mbedtlsVersion(): string {
  return loadMbedtlsAddon().version;
}

/** mbedtls_strerror: e.g. "SSL - The peer notified us that the connection is going to be closed". */
export function mbedtlsStrerror(code: number): string {
  return loadMbedtlsAddon().strerror(code);
}

/** mbedtls_debug_set_threshold (0 = silent … 4 = verbose). One threshold for the whole process. */
export function mbedtlsDebugSetThreshold(level: number): void {
  loadMbedtlsAddon().debugSetThreshold(level);
}

/** IANA id of an Mbed TLS ciphersuite name (e.g. "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"), 0 if unknown. */
export function ciphersuiteId(name: string): number {
  return loadMbedtlsAddon().ciphersuiteId(name);
}

/** Mbed TLS name of a ciphersuite id, "unknown" if this build does not support it. */
export function ciphersuiteName(id: number): string {
  return loadMbedtlsAddon().ciphersuiteName(id);
}

/** Every ciphersuite id this build supports, in Mbed TLS's default preference order. */
export function listCiphersuites(): number[] {
  return loadMbedtlsAddon().listCiphersuites();
}

/** mbedtls_x509_crt_verify_info: one line per flag of SslContext.getVerifyResult(). */
export function x509VerifyInfo(flags: number): string {
  return loadMbedtlsAddon().x509VerifyInfo(flags);
}

/**
 * UTF-8 bytes of `text` plus the terminating NUL: the buffer Mbed TLS needs for PEM (its length rule:
 * PEM is recognised only when the NUL is counted, as set_root_ca_cert(const char*) does with strlen + 1).
 */
export function cString(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const withNul = new Uint8Array(bytes.length + 1);
  withNul.set(bytes);
  return withNul;
}
