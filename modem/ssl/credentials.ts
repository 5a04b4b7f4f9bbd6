import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { OpenFailure } from '../sockets/transport.ts';
import { FileStore } from '../ufs/file-store.ts';
import type { SslContextConfig } from './ssl-context.ts';

/** `+QSSLOPEN: <id>,552`: a configured certificate or key file is missing or unusable. */
export const BAD_CREDENTIALS = 552;

export interface SslCredentials {
  /** Trusted CA certificates (PEM text and parsed), when the server is to be verified. */
  readonly ca?: { readonly pem: string; readonly certificates: readonly X509Certificate[] };
  /** The client certificate (chain) and key, when seclevel 2 names them. */
  readonly client?: { readonly certPem: string; readonly key: KeyObject };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readFile(files: FileStore, path: string, what: string): string {
  const name = FileStore.normalize(path);
  const data = name === undefined ? undefined : files.read(name);
  if (!data) throw new OpenFailure(BAD_CREDENTIALS, `${what} file "${path}" not found in UFS`);
  return data.toString('latin1');
}

/**
 * Every certificate in a PEM file, or the one certificate of a DER file (the module's TLS library reads
 * either, as mbedtls_x509_crt_parse does); throws OpenFailure(552) if there is none.
 */
function parseCertificates(text: string, what: string): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  try {
    if (blocks.length === 0) return [new X509Certificate(Buffer.from(text, 'latin1'))];
    return blocks.map((block) => new X509Certificate(block));
  } catch (err) {
    throw new OpenFailure(BAD_CREDENTIALS, `${what} is not a certificate: ${(err as Error).message}`);
  }
}

/** The certificates as PEM text: OpenSSL's `ca`/`cert` options read PEM only, whatever UFS held. */
function toPem(certificates: readonly X509Certificate[]): string {
  return certificates.map((certificate) => certificate.toString()).join('');
}

/** A PEM private key, or a DER one in any of the encodings a key file may hold (PKCS#8, PKCS#1, SEC1). */
function parsePrivateKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPrivateKey(text);
  const der = Buffer.from(text, 'latin1');
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return createPrivateKey(text); // neither PEM nor DER: let OpenSSL say why
}

/**
 * Reads what the context's seclevel needs from UFS, at open time (as the module does): the CA file for
 * levels 1–2, the client certificate and key for level 2 when configured. Throws OpenFailure(552).
 */
export function loadCredentials(config: SslContextConfig, files: FileStore): SslCredentials {
  if (config.secLevel === 0) return {};
  if (config.caCert === '') throw new OpenFailure(BAD_CREDENTIALS, 'seclevel needs "cacert" but none is set');
  const caFile = readFile(files, config.caCert, 'CA certificate');
  const certificates = parseCertificates(caFile, 'cacert');
  const ca = { pem: toPem(certificates), certificates };
  if (config.secLevel === 1 || (config.clientCert === '' && config.clientKey === '')) return { ca };

  if (config.clientCert === '' || config.clientKey === '') {
    throw new OpenFailure(BAD_CREDENTIALS, 'seclevel 2 needs both "clientcert" and "clientkey"');
  }
  const chain = parseCertificates(readFile(files, config.clientCert, 'client certificate'), 'clientcert');
  const [leaf] = chain;
  const certPem = toPem(chain);
  let key: KeyObject;
  try {
    key = parsePrivateKey(readFile(files, config.clientKey, 'client key'));
  } catch (err) {
    if (err instanceof OpenFailure) throw err;
    throw new OpenFailure(BAD_CREDENTIALS, `clientkey is not a private key: ${(err as Error).message}`);
  }
  if (!leaf.checkPrivateKey(key))
    throw new OpenFailure(BAD_CREDENTIALS, 'clientkey does not match clientcert');
  return { ca, client: { certPem, key } };
}
