// The lab PKI as the rest of tlssim sees it: PEM texts and the paths of the files that hold them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKI_FILES, PKI_FORMAT_VERSION, type PkiManifest, serverCredentialFiles } from './pki-layout.ts';
import {
  SERVER_CREDENTIAL_NAMES,
  SERVER_CREDENTIALS,
  type ServerCredentialName,
  type ServerCredentialSpec,
} from './server-credentials.ts';

export interface ServerCredential {
  name: ServerCredentialName;
  hostname: string;
  spec: ServerCredentialSpec;
  certPem: string;
  certPath: string;
  /** What the server presents: leaf first, then its signer unless the spec says leaf only. */
  chainPem: string;
  chainPath: string;
  keyPem: string;
  keyPath: string;
}

export interface LabPki {
  dir: string;
  /** When this PKI was generated (ISO time). */
  generated: string;
  /** The lab root CA: the one trust anchor applications are given. */
  caPem: string;
  caPath: string;
  intermediatePem: string;
  intermediatePath: string;
  /** Signs the untrusted-root zoo leaf; never handed to applications. */
  untrustedRootPem: string;
  untrustedRootPath: string;
  /** Client certificate for mutual TLS, signed by the intermediate. */
  clientCertPem: string;
  clientCertPath: string;
  /** Client certificate followed by the intermediate. */
  clientChainPem: string;
  clientChainPath: string;
  clientKeyPem: string;
  clientKeyPath: string;
  servers: Record<ServerCredentialName, ServerCredential>;
}

/** Reads a PKI directory as written by pki-store.ts; throws if a file is missing or the format is older. */
export function readLabPki(dir: string): LabPki {
  const file = (relative: string) => {
    const path = join(dir, relative);
    return { path, text: readFileSync(path, 'utf8') };
  };
  const manifest = JSON.parse(file(PKI_FILES.manifest).text) as PkiManifest;
  if (manifest.format !== 'tlssim-pki' || manifest.version !== PKI_FORMAT_VERSION) {
    throw new Error(
      `${dir}: PKI format ${manifest.format} v${manifest.version}, expected v${PKI_FORMAT_VERSION}`,
    );
  }
  const ca = file(PKI_FILES.ca);
  const intermediate = file(PKI_FILES.intermediate);
  const untrustedRoot = file(PKI_FILES.untrustedRoot);
  const clientCert = file(PKI_FILES.clientCert);
  const clientChain = file(PKI_FILES.clientChain);
  const clientKey = file(PKI_FILES.clientKey);
  const servers = {} as Record<ServerCredentialName, ServerCredential>;
  for (const name of SERVER_CREDENTIAL_NAMES) {
    const paths = serverCredentialFiles(name);
    const cert = file(paths.cert);
    const chain = file(paths.chain);
    const key = file(paths.key);
    const spec = SERVER_CREDENTIALS[name];
    servers[name] = {
      name,
      hostname: spec.hostname,
      spec,
      certPem: cert.text,
      certPath: cert.path,
      chainPem: chain.text,
      chainPath: chain.path,
      keyPem: key.text,
      keyPath: key.path,
    };
  }
  return {
    dir,
    generated: manifest.generated,
    caPem: ca.text,
    caPath: ca.path,
    intermediatePem: intermediate.text,
    intermediatePath: intermediate.path,
    untrustedRootPem: untrustedRoot.text,
    untrustedRootPath: untrustedRoot.path,
    clientCertPem: clientCert.text,
    clientCertPath: clientCert.path,
    clientChainPem: clientChain.text,
    clientChainPath: clientChain.path,
    clientKeyPem: clientKey.text,
    clientKeyPath: clientKey.path,
    servers,
  };
}
