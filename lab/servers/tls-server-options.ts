// Node tls server options for one lab TLS server kind, from the lab PKI.
import type { TlsOptions } from 'node:tls';
import type { LabPki } from '../pki/lab-pki.ts';
import type { ServerKindSpec } from './server-kinds.ts';

export function tlsServerOptions(spec: ServerKindSpec, pki: LabPki): TlsOptions {
  if (!spec.credential) throw new Error(`no certificate configured for a ${spec.transport} server`);
  const credential = pki.servers[spec.credential];
  // `cert` is the whole chain the server sends, so the missing-intermediate zoo entry sends its leaf alone.
  const options: TlsOptions = { key: credential.keyPem, cert: credential.chainPem };
  if (spec.requireClientCert) {
    // The intermediate is trusted too, so a client that sends only its leaf (as many devices do) still verifies.
    options.requestCert = true;
    options.rejectUnauthorized = true;
    options.ca = [pki.caPem, pki.intermediatePem];
  }
  if (spec.weakCertificate) options.ciphers = 'DEFAULT:@SECLEVEL=0';
  return options;
}
