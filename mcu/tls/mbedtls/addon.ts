// Loads the native Mbed TLS binding (build/Release/tlssim_mbedtls.node, built by native/install.mjs) and
// describes its shape. Loaded lazily, on the first object or function that needs it, so that importing
// the constants (offload mode, tooling) works on a machine where the binding was never built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packagePath } from '../../../shared/package-root.ts';

export const MBEDTLS_ADDON_PATH = packagePath('build/Release/tlssim_mbedtls.node');

/** send(data) → bytes taken (0..data.length) or a negative Mbed TLS code such as WANT_WRITE. */
export type BioSend = (data: Uint8Array) => number;
/** recv(maxLength) → up to maxLength bytes, 0 for end of stream, or a negative code such as WANT_READ. */
export type BioRecv = (maxLength: number) => Uint8Array | number;
/** Mbed TLS's f_set_timer: finalMs 0 cancels the timer. */
export type TimerSetDelay = (intermediateMs: number, finalMs: number) => void;
/** Mbed TLS's f_get_timer: -1 cancelled, 0 running, 1 intermediate delay passed, 2 final delay passed. */
export type TimerGetDelay = () => number;
/** One Mbed TLS debug line (the message keeps Mbed TLS's trailing newline). */
export type DebugCallback = (level: number, file: string, line: number, message: string) => void;
/** The secrets of one handshake (ssl.h, mbedtls_ssl_export_keys_ext_t): 48, 32 and 32 bytes. */
export type ExportKeysCallback = (masterSecret: Buffer, clientRandom: Buffer, serverRandom: Buffer) => void;
/** One certificate of the peer's chain during verification; observation only. */
export type VerifyCallback = (depth: number, certificateInfo: string, flags: number) => void;

export interface PeerCertificate {
  subject: string;
  issuer: string;
  /** mbedtls_x509_crt_info text. */
  info: string;
}

export interface NativeCtrDrbg {
  seed(personalization?: Uint8Array | null): number;
  isSeeded(): boolean;
}

export interface NativeX509Crt {
  parse(bytes: Uint8Array): number;
  count(): number;
  info(): string;
  free(): void;
}

export interface NativePkContext {
  parseKey(bytes: Uint8Array, password?: Uint8Array | string | null): number;
  name(): string;
  free(): void;
}

export interface NativeSslConfig {
  defaults(endpoint: number, transport: number, preset?: number): number;
  setEndpoint(endpoint: number): void;
  setTransport(transport: number): void;
  setAuthmode(authmode: number): void;
  setCaChain(chain: NativeX509Crt | null): void;
  setOwnCert(crt: NativeX509Crt, key: NativePkContext): number;
  setCiphersuites(suites: ReadonlyArray<number | string>): number;
  setMinVersion(major: number, minor: number): void;
  setMaxVersion(major: number, minor: number): void;
  setRng(rng: NativeCtrDrbg | null): void;
  setReadTimeout(ms: number): void;
  setHandshakeTimeout(minMs: number, maxMs: number): void;
  setMaxFragLen(code: number): number;
  setDebug(callback: DebugCallback | null): void;
  setVerify(callback: VerifyCallback | null): void;
  setExportKeys(callback: ExportKeysCallback | null): void;
  setDtlsCookies(rng: NativeCtrDrbg | null): number;
  setDtlsAntiReplay(enabled: boolean): void;
  setSessionCache(maxEntries: number, timeoutSeconds: number): void;
  free(): void;
}

export interface NativeSslSession {
  hasTicket(): boolean;
  idLength(): number;
  ciphersuite(): number;
  free(): void;
}

export interface NativeSslContext {
  setup(config: NativeSslConfig): number;
  setHostname(hostname: string | null): number;
  setBio(send: BioSend | null, recv: BioRecv | null): void;
  setTimer(setDelay: TimerSetDelay | null, getDelay: TimerGetDelay | null): void;
  handshake(): number;
  read(buffer: Uint8Array): number;
  write(data: Uint8Array): number;
  closeNotify(): number;
  sessionReset(): number;
  setClientTransportId(id: Uint8Array): number;
  getVerifyResult(): number;
  getVersion(): string;
  getCiphersuite(): string | null;
  getBytesAvail(): number;
  getMaxOutRecordPayload(): number;
  checkPending(): number;
  getPeerCert(): PeerCertificate | null;
  getSession(session: NativeSslSession): number;
  isResumed(): boolean;
  setSession(session: NativeSslSession): number;
  free(): void;
}

export interface NativeHeap {
  stats(owner?: number): {
    currentBytes: number;
    peakBytes: number;
    allocations: number;
    frees: number;
    failedAllocations: number;
  };
  resetPeak(owner?: number): void;
  /** sets the owner new allocations go to; returns the previous one */
  setOwner(owner: number): number;
  librariesHooked(): number;
}

export interface MbedtlsAddon {
  heap: NativeHeap;
  version: string;
  constants: Record<string, number>;
  strerror(code: number): string;
  debugSetThreshold(level: number): void;
  ciphersuiteId(name: string): number;
  ciphersuiteName(id: number): string;
  listCiphersuites(): number[];
  x509VerifyInfo(flags: number): string;
  CtrDrbg: new () => NativeCtrDrbg;
  X509Crt: new () => NativeX509Crt;
  PkContext: new () => NativePkContext;
  SslConfig: new () => NativeSslConfig;
  SslContext: new () => NativeSslContext;
  SslSession: new () => NativeSslSession;
}

let addon: MbedtlsAddon | undefined;

/** The native binding; throws an Error that says how to build it when it is missing or broken. */
export function loadMbedtlsAddon(): MbedtlsAddon {
  if (addon !== undefined) return addon;
  const howToBuild = 'run `npm ci` (or `node native/install.mjs`) in the tlssim checkout to build it';
  if (!existsSync(MBEDTLS_ADDON_PATH)) {
    throw new Error(`The Mbed TLS binding is not built (${MBEDTLS_ADDON_PATH} is missing): ${howToBuild}`);
  }
  try {
    addon = createRequire(import.meta.url)(MBEDTLS_ADDON_PATH) as MbedtlsAddon;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The Mbed TLS binding at ${MBEDTLS_ADDON_PATH} does not load (${reason}): ${howToBuild}`,
      {
        cause: error,
      },
    );
  }
  return addon;
}

/** True when the binding is built and loads (mbedtls mode is possible). */
export function isMbedtlsAvailable(): boolean {
  try {
    loadMbedtlsAddon();
    return true;
  } catch {
    return false;
  }
}
