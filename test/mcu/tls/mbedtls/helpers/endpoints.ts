// Builders for Mbed TLS configs and contexts from the openssl-made PKI, shared by the binding's tests.
import {
  CtrDrbg,
  cString,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_IS_SERVER,
  MBEDTLS_SSL_TRANSPORT_STREAM,
  MBEDTLS_SSL_VERIFY_REQUIRED,
  PkContext,
  SslConfig,
  X509Crt,
} from '../../../../../mcu/tls/mbedtls/index.ts';
import type { OpensslPki } from './openssl-pki.ts';

export function seededDrbg(personalization = 'tlssim test'): CtrDrbg {
  const drbg = new CtrDrbg();
  const ret = drbg.seed(cString(personalization));
  if (ret !== 0) throw new Error(`CtrDrbg.seed failed: ${ret}`);
  return drbg;
}

export function certificate(pki: OpensslPki, name: string): X509Crt {
  const crt = new X509Crt();
  const ret = crt.parse(cString(pki.pem(name)));
  if (ret !== 0) throw new Error(`X509Crt.parse(${name}) failed: ${ret}`);
  return crt;
}

export function privateKey(pki: OpensslPki, name: string): PkContext {
  const key = new PkContext();
  const ret = key.parseKey(cString(pki.pem(name)));
  if (ret !== 0) throw new Error(`PkContext.parseKey(${name}) failed: ${ret}`);
  return key;
}

export interface ConfigOptions {
  transport?: number;
  ca?: string | null;
  cert?: string;
  key?: string;
  authmode?: number;
}

function checked(what: string, ret: number): void {
  if (ret !== 0) throw new Error(`${what} failed: ${ret}`);
}

/** A client config the way TLSSocketWrapper makes one: defaults, VERIFY_REQUIRED, a seeded DRBG. */
export function clientConfig(pki: OpensslPki, options: ConfigOptions = {}): SslConfig {
  const config = new SslConfig();
  checked(
    'defaults',
    config.defaults(MBEDTLS_SSL_IS_CLIENT, options.transport ?? MBEDTLS_SSL_TRANSPORT_STREAM),
  );
  config.setAuthmode(options.authmode ?? MBEDTLS_SSL_VERIFY_REQUIRED);
  config.setRng(seededDrbg('mbed TLS client'));
  const ca = options.ca === undefined ? 'ca.pem' : options.ca;
  if (ca !== null) config.setCaChain(certificate(pki, ca));
  if (options.cert && options.key) {
    checked('setOwnCert', config.setOwnCert(certificate(pki, options.cert), privateKey(pki, options.key)));
  }
  return config;
}

export function serverConfig(pki: OpensslPki, options: ConfigOptions = {}): SslConfig {
  const config = new SslConfig();
  checked(
    'defaults',
    config.defaults(MBEDTLS_SSL_IS_SERVER, options.transport ?? MBEDTLS_SSL_TRANSPORT_STREAM),
  );
  config.setRng(seededDrbg('tlssim test server'));
  checked(
    'setOwnCert',
    config.setOwnCert(
      certificate(pki, options.cert ?? 'server-rsa.pem'),
      privateKey(pki, options.key ?? 'server-rsa.key'),
    ),
  );
  if (options.authmode !== undefined) config.setAuthmode(options.authmode);
  if (options.ca) config.setCaChain(certificate(pki, options.ca));
  return config;
}
