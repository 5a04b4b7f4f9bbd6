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

/** Every certificate in a PEM file (or one DER certificate); throws OpenFailure(552) if there is none. */
function parseCertificates(text: string, what: string): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  try {
    if (blocks.length === 0) return [new X509Certificate(Buffer.from(text, 'latin1'))];
    return blocks.map((block) => new X509Certificate(block));
  } catch (err) {
    throw new OpenFailure(BAD_CREDENTIALS, `${what} is not a certificate: ${(err as Error).message}`);
  }
}

/**
 * Reads what the context's seclevel needs from UFS, at open time (as the module does): the CA file for
 * levels 1–2, the client certificate and key for level 2 when configured. Throws OpenFailure(552).
 */
export function loadCredentials(config: SslContextConfig, files: FileStore): SslCredentials {
  if (config.secLevel === 0) return {};
  if (config.caCert === '') throw new OpenFailure(BAD_CREDENTIALS, 'seclevel needs "cacert" but none is set');
  const caPem = readFile(files, config.caCert, 'CA certificate');
  const ca = { pem: caPem, certificates: parseCertificates(caPem, 'cacert') };
  if (config.secLevel === 1 || (config.clientCert === '' && config.clientKey === '')) return { ca };

  if (config.clientCert === '' || config.clientKey === '') {
    throw new OpenFailure(BAD_CREDENTIALS, 'seclevel 2 needs both "clientcert" and "clientkey"');
  }
  const certPem = readFile(files, config.clientCert, 'client certificate');
  const [leaf] = parseCertificates(certPem, 'clientcert');
  let key: KeyObject;
  try {
    key = createPrivateKey(readFile(files, config.clientKey, 'client key'));
  } catch (err) {
    if (err instanceof OpenFailure) throw err;
    throw new OpenFailure(BAD_CREDENTIALS, `clientkey is not a private key: ${(err as Error).message}`);
  }
  if (!leaf.checkPrivateKey(key))
    throw new OpenFailure(BAD_CREDENTIALS, 'clientkey does not match clientcert');
  return { ca, client: { certPem, key } };
}
