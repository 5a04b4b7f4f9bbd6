// The Mbed TLS binding's TypeScript face: typed classes over the native objects, the constants, and the
// free functions. Raw Mbed TLS codes throughout; the nsapi mapping belongs to TLSSocketWrapper.
export type {
  BioRecv,
  BioSend,
  DebugCallback,
  ExportKeysCallback,
  PeerCertificate,
  TimerGetDelay,
  TimerSetDelay,
  VerifyCallback,
} from './addon.ts';
export { isMbedtlsAvailable, loadMbedtlsAddon, MBEDTLS_ADDON_PATH } from './addon.ts';
export * from './constants.ts';
export { CtrDrbg } from './ctr-drbg.ts';
export {
  ciphersuiteId,
  ciphersuiteName,
  cString,
  listCiphersuites,
  mbedtlsDebugSetThreshold,
  mbedtlsStrerror,
  mbedtlsVersion,
  x509VerifyInfo,
} from './functions.ts';
export {
  attributedTo,
  type MbedtlsHeapStats,
  mbedtlsHeapLibrariesHooked,
  mbedtlsHeapResetPeak,
  mbedtlsHeapStats,
  newHeapOwner,
  UNATTRIBUTED_HEAP_OWNER,
} from './heap.ts';
export { PkContext } from './pk-context.ts';
export { SslConfig } from './ssl-config.ts';
export { SslContext } from './ssl-context.ts';
export { SslSession } from './ssl-session.ts';
export { X509Crt } from './x509-crt.ts';
