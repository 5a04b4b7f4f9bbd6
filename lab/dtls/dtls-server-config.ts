// The Mbed TLS server configuration of a lab DTLS server, from the lab PKI: the certificate chain of one
// lab credential, HelloVerifyRequest cookies, optional client authentication against the lab CA, and a
// maximum fragment length so every datagram the server sends fits what a BG96 hands over in one read.

import {
  CtrDrbg,
  cString,
  MBEDTLS_SSL_IS_SERVER,
  MBEDTLS_SSL_MAX_FRAG_LEN_512,
  MBEDTLS_SSL_MAX_FRAG_LEN_1024,
  MBEDTLS_SSL_MAX_FRAG_LEN_2048,
  MBEDTLS_SSL_MAX_FRAG_LEN_4096,
  MBEDTLS_SSL_MAX_FRAG_LEN_NONE,
  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
  MBEDTLS_SSL_VERIFY_NONE,
  MBEDTLS_SSL_VERIFY_REQUIRED,
  mbedtlsStrerror,
  PkContext,
  SslConfig,
  X509Crt,
} from '../../mcu/tls/mbedtls/index.ts';
import type { LabPki } from '../pki/lab-pki.ts';
import type { ServerCredentialName } from '../pki/server-credentials.ts';

export type MaxFragmentLength = 512 | 1024 | 2048 | 4096 | null;

export interface DtlsServerConfigOptions {
  /** The lab certificate the server presents (default 'echo'). */
  credential?: ServerCredentialName;
  /** Refuse clients without a certificate the lab CA (or its intermediate) vouches for. */
  requireClientCert?: boolean;
  /** HelloVerifyRequest cookies (default on, as a DTLS server should). */
  cookies?: boolean;
  /**
   * Largest record payload the server sends (default 1024): Mbed TLS then fragments the Certificate flight
   * into datagrams of about 1 KB. Without it the whole server flight travels in one ~2.4 KB datagram,
   * which a BG96 (1500 bytes per AT+QIRD) splits and the device cannot reassemble. null = no limit.
   */
  maxFragmentLength?: MaxFragmentLength;
  /** Retransmission timeouts (Mbed TLS's default 1000..60000 ms). */
  handshakeTimeout?: { minMs: number; maxMs: number };
  /** Drop replayed records (default on). */
  antiReplay?: boolean;
}

const MFL_CODES: Record<string, number> = {
  '512': MBEDTLS_SSL_MAX_FRAG_LEN_512,
  '1024': MBEDTLS_SSL_MAX_FRAG_LEN_1024,
  '2048': MBEDTLS_SSL_MAX_FRAG_LEN_2048,
  '4096': MBEDTLS_SSL_MAX_FRAG_LEN_4096,
  null: MBEDTLS_SSL_MAX_FRAG_LEN_NONE,
};

function checked(what: string, ret: number): void {
  if (ret !== 0)
    throw new Error(`DTLS server: ${what} failed: -0x${(-ret).toString(16)} ${mbedtlsStrerror(ret)}`);
}

function seeded(personalization: string): CtrDrbg {
  const drbg = new CtrDrbg();
  checked('mbedtls_ctr_drbg_seed', drbg.seed(cString(personalization)));
  return drbg;
}

function certificates(pem: string): X509Crt {
  const crt = new X509Crt();
  checked('mbedtls_x509_crt_parse', crt.parse(cString(pem)));
  return crt;
}

export function dtlsServerConfig(pki: LabPki, options: DtlsServerConfigOptions = {}): SslConfig {
  const credential = pki.servers[options.credential ?? 'echo'];
  const config = new SslConfig();
  checked(
    'mbedtls_ssl_config_defaults',
    config.defaults(MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_DATAGRAM),
  );
  config.setRng(seeded('tlssim lab dtls server'));
  const key = new PkContext();
  checked('mbedtls_pk_parse_key', key.parseKey(cString(credential.keyPem)));
  checked('mbedtls_ssl_conf_own_cert', config.setOwnCert(certificates(credential.chainPem), key));
  if (options.requireClientCert) {
    config.setAuthmode(MBEDTLS_SSL_VERIFY_REQUIRED);
    // The intermediate is trusted too, so a device that sends only its leaf still verifies (as the TLS lab).
    config.setCaChain(certificates(pki.caPem + pki.intermediatePem));
  } else {
    config.setAuthmode(MBEDTLS_SSL_VERIFY_NONE);
  }
  if (options.cookies ?? true)
    checked('mbedtls_ssl_cookie_setup', config.setDtlsCookies(seeded('tlssim lab cookies')));
  const mfl = options.maxFragmentLength === undefined ? 1024 : options.maxFragmentLength;
  const code = MFL_CODES[String(mfl)];
  if (code === undefined)
    throw new Error(`DTLS server: maxFragmentLength must be 512, 1024, 2048, 4096 or null, got ${mfl}`);
  checked('mbedtls_ssl_conf_max_frag_len', config.setMaxFragLen(code));
  if (options.handshakeTimeout) {
    const { minMs, maxMs } = options.handshakeTimeout;
    if (!(Number.isInteger(minMs) && Number.isInteger(maxMs) && minMs > 0 && maxMs >= minMs)) {
      throw new Error(
        `DTLS server: handshakeTimeout needs integers 0 < minMs <= maxMs, got ${minMs}..${maxMs}`,
      );
    }
    config.setHandshakeTimeout(minMs, maxMs);
  }
  config.setDtlsAntiReplay(options.antiReplay ?? true);
  // Clients may resume by session ID (DTLSSocketWrapper's get_session / set_session; docs/costs.md).
  config.setSessionCache();
  return config;
}
